"""Regenerates resources/samples/sample.jsonl (run from the repository root)."""
from annotator.core.bulk import validate
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.formats.jsonl import dumps_document

text = """Harbour Bridge Plan Faces Mounting Doubts

By Mara Lindqvist, city affairs columnist

The city council insists that the new harbour bridge will open on schedule. “The funding is secured and the engineering is sound,” the council’s spokesperson, Tomas Berg, told reporters on Monday. But the figures behind that promise are not fully confirmed, and the transport ministry has been conspicuously quiet.

According to a leaked memo seen by the Harbour Gazette, the project is running at least 40 percent over budget. It seems that the contractors were said to be negotiating a second loan. A source close to the ministry claimed that “nobody wants to be the one who stops it.” The claim could not be independently verified.

Residents are divided. “It will finally connect our neighbourhood to the rest of the city 👍,” said Leila Haddad, who runs a bakery near the old ferry pier. Her neighbour disagreed: the bridge is, in his words, “a monument to vanity.” A banner on the pier reads «لا للجسر» (“no to the bridge”).

Clearly, the council cannot keep pretending that there is no alternative. This columnist would not trust any timetable the council publishes before the ministry speaks. The bridge may yet be built, but the city deserves honest numbers first.
"""

spans, rels = [], []
def find(s, occurrence=1, start=0):
    i = start - 1
    for _ in range(occurrence):
        i = text.index(s, i + 1)
    return i

def add(layer, label, s, attrs=None, note="", occurrence=1, frags=None):
    key = f"s{len(spans)+1}"
    if frags is None:
        i = find(s, occurrence)
        frags = ((i, i + len(s)),)
    spans.append(SpanRecord(key, layer, label, frags, attrs or {}, note, "sample"))
    return key

def rel(t, a, b):
    rels.append(RelationRecord(f"r{len(rels)+1}", t, a, b, {}))

# attribution 1: discontinuous content? keep simple: quote by Berg
c1 = add("attribution", "content", "“The funding is secured and the engineering is sound,”", {"quote_type": "direct"})
s1 = add("attribution", "source", "the council’s spokesperson, Tomas Berg", {"source_type": "person"})
q1 = add("attribution", "cue", "told", {"author_position": "neutral"})
rel("attributed_to", c1, s1)
rel("cue_of", q1, c1)
h1 = add("hedging", "hedge", "are not fully confirmed", {"cue_type": "epistemic_adverb", "certainty": "possible", "negated": True})
sc1 = add("hedging", "scope", "the figures behind that promise are not fully confirmed")
rel("scope_of", h1, sc1)
q2 = add("attribution", "cue", "According to", {"author_position": "neutral"})
s2 = add("attribution", "source", "a leaked memo seen by the Harbour Gazette", {"source_type": "document"})
c2 = add("attribution", "content", "the project is running at least 40 percent over budget", {"quote_type": "indirect"})
rel("attributed_to", c2, s2)
rel("cue_of", q2, c2)
add("hedging", "hedge", "at least", {"cue_type": "approximator", "certainty": "probable"})
h2 = add("hedging", "hedge", "It seems that", {"cue_type": "epistemic_verb", "certainty": "possible"})
h3 = add("hedging", "hedge", "were said to be", {"cue_type": "hearsay", "certainty": "possible"})
sc2 = add("hedging", "scope", "the contractors were said to be negotiating a second loan")
rel("scope_of", h2, sc2)
rel("scope_of", h3, sc2)
s3 = add("attribution", "source", "A source close to the ministry", {"source_type": "anonymous"})
q3 = add("attribution", "cue", "claimed", {"author_position": "distancing"})
c3 = add("attribution", "content", "“nobody wants to be the one who stops it.”", {"quote_type": "direct"})
rel("attributed_to", c3, s3)
rel("cue_of", q3, c3)
add("hedging", "hedge", "could not be independently verified", {"cue_type": "hearsay", "certainty": "unknown", "negated": True})
# discontinuous: quote interrupted by its cue
i1 = find("“It will finally connect our neighbourhood to the rest of the city 👍,”")
i2 = find("said Leila Haddad")
c4 = add("attribution", "content", None, {"quote_type": "direct"}, frags=((i1, i1 + len("“It will finally connect our neighbourhood to the rest of the city 👍,”")),))
q4 = add("attribution", "cue", "said", occurrence=1, attrs={"author_position": "neutral"}, frags=((i2, i2 + 4),))
s4 = add("attribution", "source", "Leila Haddad, who runs a bakery near the old ferry pier", {"source_type": "person"})
rel("attributed_to", c4, s4)
rel("cue_of", q4, c4)
st1 = add("stance", "stance", "It will finally connect our neighbourhood", {"polarity": "favour", "target": "harbour bridge", "holder": "Leila Haddad", "intensity": "medium"})
rel("holder_of", s4, st1)
# discontinuous content around "in his words"
j1 = find("the bridge is,")
j2 = find("“a monument to vanity.”")
c5 = add("attribution", "content", None, {"quote_type": "mixed"}, note="quotation interrupted by its cue", frags=((j1, j1 + len("the bridge is")), (j2, j2 + len("“a monument to vanity.”"))))
q5 = add("attribution", "cue", "in his words", {"author_position": "neutral"})
s5 = add("attribution", "source", "Her neighbour", {"source_type": "person"})
rel("attributed_to", c5, s5)
rel("cue_of", q5, c5)
st2 = add("stance", "stance", "“a monument to vanity.”", {"polarity": "against", "target": "harbour bridge", "holder": "Her neighbour", "intensity": "high"})
add("rhetoric", "technique", "a monument to vanity", {"technique": "loaded_language"})
add("stance", "stance", "«لا للجسر»", {"polarity": "against", "target": "harbour bridge", "holder": "banner", "intensity": "high"})
add("hedging", "booster", "Clearly")
add("rhetoric", "technique", "there is no alternative", {"technique": "black_and_white"})
add("rhetoric", "engagement", "cannot keep pretending", {"move": "counter"})
st3 = add("stance", "stance", "would not trust any timetable the council publishes", {"polarity": "against", "target": "city council", "holder": "author", "intensity": "high"})
add("rhetoric", "engagement", "would not trust", {"move": "distance"})
t3 = add("stance", "target", "the council", occurrence=3)
rel("targets", st3, t3)
add("hedging", "hedge", "may", occurrence=1, attrs={"cue_type": "modal", "certainty": "possible"}, frags=((find(" may yet") + 1, find(" may yet") + 4),))
add("rhetoric", "engagement", "insists", {"move": "acknowledge"})
add("stance", "stance", "the city deserves honest numbers first", {"polarity": "against", "target": "city council", "holder": "author", "intensity": "medium"})

doc = CorpusDocument(name="harbour-bridge", title="Harbour Bridge Plan Faces Mounting Doubts", text=text,
                     meta={"author": "Mara Lindqvist", "date": "2026-11-02", "note": "written for Annotator as a sample; fictional"},
                     status="in_progress", spans=spans, relations=rels)
validate(doc)
for sp in doc.spans:
    assert sp.fragments[0][0] < sp.fragments[-1][1]
with open("resources/samples/sample.jsonl", "w", encoding="utf-8") as fh:
    fh.write(dumps_document(doc) + "\n")
print(len(spans), len(rels))
