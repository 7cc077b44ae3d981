"""Sphinx configuration of the sklstm documentation (``make docs``)."""

import os
import re
import sys
from pathlib import Path

import torch

import sklstm

# Examples and doctests train small LSTMs: one thread each, as in the tests.
torch.set_num_threads(1)
os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).parent))

project = "sklstm"
author = "The sklstm developers"
copyright = "2026, the sklstm developers"
release = sklstm.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
templates_path = ["_templates"]

# API reference: numpydoc renders the docstrings; autosummary writes one page
# per public name.
autosummary_generate = True
# scikit-learn's metadata-routing and set_output boilerplate is documented
# (with links into its own docs) by scikit-learn.
autodoc_default_options = {
    "members": True,
    "inherited-members": True,
    "exclude-members": ",".join(
        [
            "get_metadata_routing",
            "set_fit_request",
            "set_partial_fit_request",
            "set_predict_request",
            "set_predict_proba_request",
            "set_score_request",
            "set_transform_request",
            "set_output",
        ]
    ),
}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# Links into the docs of the libraries sklstm builds on. Their inventories
# come over the network, and a build that cannot fetch one warns, which -W
# turns into a failure; so they are fetched only when asked for
# (SKLSTM_INTERSPHINX=1 make docs). Without them, references such as
# {class}`sklearn.pipeline.Pipeline` render as plain code, with no warning.
intersphinx_mapping = (
    {
        "sklearn": ("https://scikit-learn.org/stable", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "torch": ("https://docs.pytorch.org/docs/stable", None),
        "python": ("https://docs.python.org/3", None),
    }
    if os.environ.get("SKLSTM_INTERSPHINX")
    else {}
)
intersphinx_timeout = 30

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"demo\.py",
    "download_all_examples": False,
    # the introductory example first (docs/_gallery_order.py)
    "within_subsection_order": "_gallery_order.ReadingOrder",
    "reference_url": {"sklstm": None},
    "doc_module": ("sklstm",),
    "backreferences_dir": None,
    "show_memory": False,
    "abort_on_example_error": True,
}

html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_static_path = ["_static"]
html_css_files = ["sklstm.css"]
# gallery figures open at full size on a click
html_js_files = ["sklstm.js"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
}
html_show_sourcelink = False
# No "Section Navigation" sidebar on pages without sub-pages, where it would
# be empty (the user guide, the gallery and the API reference keep theirs).
# Exact names: two wildcard patterns matching one page would be a warning.
html_sidebars = {
    page: []
    for page in [
        "index",
        "getting_started",
        "install",
        "faq",
        "related",
        "contributing",
        "accuracy",
        "scaling_out",
        "changes",
        "maintainers",
        "onnx",
        "interop",
    ]
}


# The changelog page includes CHANGES.md, whose entries end with the issues
# they came from, "(#15)": numbers from a tracker the site's readers cannot
# see, so the page leaves them out (CHANGES.md keeps them).
ISSUE_REFERENCES = re.compile(r"\s*\(#\d+(?:, #\d+)*\)")


def drop_issue_references(app, relative_path, parent_docname, content):
    if relative_path.name == "CHANGES.md":
        content[0] = ISSUE_REFERENCES.sub("", content[0])


def setup(app):
    app.connect("include-read", drop_issue_references)
