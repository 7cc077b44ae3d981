"""How much the scales of the sequences differ, in every benchmark set.

``input_norm='auto'`` reads sequences by shape alone (``'instance'``) when
their standard deviations differ by more than ``AUTO_INSTANCE_SPREAD``
between the 10th and the 90th percentile (``sklstm._frontend.scale_spread``),
else by shape and amplitude (``'both'``). This prints that spread for the
training sequences of every set of ``benchmarks/accuracy.py`` and, for the
classification sets, of their gain-and-offset copies (``--robustness``),
after the ``SequenceScaler`` that the benchmark's pipelines put first, with
the choice the rule makes. Run::

    python benchmarks/scale_spread.py
"""

import warnings

import accuracy
from synthetic import gain_offset

from sklstm import SequenceScaler
from sklstm._frontend import AUTO_INSTANCE_SPREAD, auto_input_norm, scale_spread
from sklstm._validation import check_sequences


def spread_and_choice(X):
    scaled = SequenceScaler().fit_transform(X)
    sequences, _ = check_sequences(SequenceScaler(), scaled, reset=True)
    values, lengths = sequences.flat_values(), sequences.lengths
    return scale_spread(values, lengths), auto_input_norm(values, lengths)


def main():
    warnings.simplefilter("ignore")
    names = list(accuracy.LOADERS) + list(accuracy.SYNTHETIC)
    print(f"input_norm='auto': 'instance' above a spread of {AUTO_INSTANCE_SPREAD:g}.")
    print(f"{'dataset':24s} {'spread':>8s}  choice    {'copy spread':>11s}  choice")
    for problem in accuracy.problems(names):
        spread, choice = spread_and_choice(problem.X_train)
        line = f"{problem.name:24s} {spread:8.2f}  {choice:8s}"
        if problem.task == "classification" and problem.name in accuracy.LOADERS:
            X_copy, _ = gain_offset(problem.X_train, problem.X_test, seed=accuracy.GAIN_SEED)
            copy_spread, copy_choice = spread_and_choice(X_copy)
            line += f"  {copy_spread:11.1f}  {copy_choice}"
        print(line)


if __name__ == "__main__":
    main()
