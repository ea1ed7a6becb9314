"""questions.yml's response_options agree with each other and with the question's measure."""
from __future__ import annotations

from ..errors import MetadataInvalid
from ..readers.cells import fold_label


def check_response_options(registry) -> None:
    """Each question's answers have unique ids and labels; a percentage question's is_positive answers are
    exactly its positive_answers (and leave some answer not positive); a rating question's answers are rated."""
    path = registry.files["questions.yml"].path
    for qid, q in registry.questions.items():
        if q.response_options is None:
            continue
        if not q.response_options:
            raise MetadataInvalid(f"response_options of {qid} is empty.", file=path, key=f"{qid}.response_options",
                                  line=registry.line("questions.yml", qid, "response_options"),
                                  fix="List the answers under response_options (see the comments at the top).")
        ids, labels = set(), set()
        for i, option in enumerate(q.response_options):
            where = dict(file=path, row=f"{qid} option {i + 1}",
                         line=registry.line("questions.yml", qid, "response_options", i))
            spellings = [fold_label(s) for s in (option.label, *option.publisher_labels)]
            if option.id in ids or labels & set(spellings):
                raise MetadataInvalid(f"Option {option.id!r} of {qid} repeats an id or label of an earlier option.",
                                      **where, fix="Give every answer of a question its own id and labels in "
                                                   "questions.yml.")
            if q.measure == "mean_0_10" and option.rating is None:
                raise MetadataInvalid(f"Option {option.id!r} of {qid} has no rating; a rating question's answers "
                                      "each stand for a whole number from 0 to 10.", **where, column="rating",
                                      fix="Give the option its rating in questions.yml.")
            ids.add(option.id)
            labels.update(spellings)
        positive = sorted(fold_label(o.label) for o in q.response_options if o.is_positive)
        stated = sorted(fold_label(a) for a in q.positive_answers.split(";") if a.strip())
        if positive != stated or (q.measure == "percent_positive" and not 0 < len(positive) < len(q.response_options)):
            raise MetadataInvalid(f"{qid}'s positive_answers ({q.positive_answers!r}) and the response_options "
                                  f"marked is_positive ({positive}) disagree, or leave no positive or no other answer.",
                                  file=path, row=qid, column="is_positive",
                                  line=registry.line("questions.yml", qid, "positive_answers"),
                                  fix="Mark exactly the positive_answers is_positive: true in questions.yml.")
