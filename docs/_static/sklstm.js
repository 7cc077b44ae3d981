// Every figure of the gallery opens at full size: wrap each image that is
// not already a link in a link to its own file.
document.addEventListener("DOMContentLoaded", () => {
  document
    .querySelectorAll("img.sphx-glr-single-img, img.sphx-glr-multi-img")
    .forEach((img) => {
      if (img.closest("a")) {
        return;
      }
      const link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.title = "Open the figure at full size";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
    });
});
