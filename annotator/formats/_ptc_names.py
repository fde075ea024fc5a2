"""Persuasion-technique names of the shared tasks and the default tagset's values for them.

Not a format: the registry skips modules whose name starts with ``_``.

SemEval-2020 Task 11 (the Propaganda Techniques Corpus, PTC: 18 techniques, 14 classes in the
task, some merged), NLP4IF-2019 (PTC version 1) and SemEval-2023 Task 3 (23 techniques) spell
the same techniques differently (``Name_Calling,Labeling``, ``Name_Calling-Labeling``). A name
is looked up by its letters only, case-insensitively. The value is the default tagset's
``rhetoric:technique`` attribute ``technique``: the list holds the PTC's 18 techniques and
SemEval-2023's 23. A technique it does not list (SemEval-2020's merged classes, or a name no task
uses) gets its name in lower case with ``_`` and is reported.
"""

from __future__ import annotations

import re

#: spellings (any of the tasks) -> the default tagset's value
_TABLE: dict[str, str] = {
    "Loaded_Language": "loaded_language",
    "Name_Calling,Labeling": "name_calling",
    "Name_Calling-Labeling": "name_calling",
    "Repetition": "repetition",
    "Exaggeration,Minimisation": "exaggeration_minimisation",
    "Exaggeration,Minimization": "exaggeration_minimisation",
    "Exaggeration-Minimisation": "exaggeration_minimisation",
    "Doubt": "doubt",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Appeal_to_Fear-Prejudice": "appeal_to_fear",
    "Flag-Waving": "flag_waving",
    "Causal_Oversimplification": "causal_oversimplification",
    "Slogans": "slogans",
    "Appeal_to_Authority": "appeal_to_authority",
    "Black-and-White_Fallacy": "black_and_white",
    "False_Dilemma-No_Choice": "black_and_white",
    "Thought-terminating_Cliches": "thought_terminating_cliche",
    "Conversation_Killer": "thought_terminating_cliche",
    "Whataboutism": "whataboutism",
    "Straw_Men": "straw_man",
    "Straw_Man": "straw_man",
    "Red_Herring": "red_herring",
    "Bandwagon": "bandwagon",
    "Appeal_to_Popularity": "bandwagon",
    "Reductio_ad_hitlerum": "reductio_ad_hitlerum",
    "Obfuscation,Intentional_Vagueness,Confusion": "obfuscation",
    "Obfuscation-Vagueness-Confusion": "obfuscation",
    "Appeal_to_Hypocrisy": "appeal_to_hypocrisy",
    "Appeal_to_Values": "appeal_to_values",
    "Consequential_Oversimplification": "consequential_oversimplification",
    "Guilt_by_Association": "guilt_by_association",
    "Questioning_the_Reputation": "questioning_the_reputation",
    "Appeal_to_Time": "appeal_to_time",
    # SemEval-2020's merged classes: not in the default tagset's list, kept under these values
    # and reported (the PTC's own rows name the techniques one by one)
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon_reductio_ad_hitlerum",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism_straw_man_red_herring",
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


_BY_KEY = {_key(name): value for name, value in _TABLE.items()}
#: the default tagset's value -> the SemEval-2020 spelling (the first in the table)
WRITTEN: dict[str, str] = {}
for _name, _value in _TABLE.items():
    WRITTEN.setdefault(_value, _name)


def technique_value(name: str) -> str:
    """The tagset value for a technique name of any of the tasks."""
    found = _BY_KEY.get(_key(name))
    if found is not None:
        return found
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or name


def technique_name(value: str) -> str:
    """The name written for a tagset value (SemEval-2020's spelling where there is one)."""
    return WRITTEN.get(value, value)
