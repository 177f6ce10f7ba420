"""Who claims what a sentence says: "according to X", "X said", "..., said X", "X told Reuters".

Plain regexes over the sentence. The speaker is returned as written, with a leading article dropped
before a name ("the International Committee of the Red Cross" -> "International Committee of the
Red Cross") but kept before a common noun ("the group", "the activist"), which would not read
alone. Pronouns ("he said") return None: who "he" is needs the article, not the sentence.
"""

from __future__ import annotations

import re

SPEECH_VERBS: frozenset[str] = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "reported", "reports",
    "announced", "announces", "claimed", "claims", "tweeted", "tweets", "posted", "wrote", "writes",
    "noted", "notes", "confirmed", "confirms", "insisted", "insists", "warned", "warns", "estimated",
    "estimates", "alleged", "alleges", "accused", "accuses", "denied", "denies", "declared", "declares",
    "explained", "explains", "asserted", "asserts", "argued", "argues", "quoted", "cited", "described",
    "describes", "called", "calls", "urged", "urges", "acknowledged", "acknowledges", "admitted",
    "admits", "stressed", "stresses", "repeated", "replied", "responded", "recalled", "recounted",
    "testified", "announced", "disclosed", "revealed", "insisted", "believes", "believed", "cautioned",
})
# Verbs that only report when they take a speaker subject: "X called the attack ..." is speech,
# but "called" alone in "a call which ..." is not; quotes.py uses the full set with a quote nearby.
_REPORTING = (r"said|says|say|told|tells|added|adds|stated|states|reported|reports|announced|"
              r"announces|claimed|claims|tweeted|tweets|posted|wrote|writes|noted|notes|confirmed|"
              r"confirms|insisted|insists|warned|warns|estimated|estimates|alleged|alleges|declared|"
              r"explained|asserted|argued|stressed|acknowledged|admitted|quoted|cited")
# Case-sensitive on purpose: "United States" and "news reports" are not the verbs "states", "reports".
SPEECH_VERB_RE = re.compile(rf"\b(?:{_REPORTING})\b")

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "who",
             "which", "one", "others", "some"}
_NAME_END = r"(?=\s*(?:[,.;:!?\"”’)]|$|\s+(?:on|in|at|that|which|who|late|early|earlier|later|last|this|"
_NAME_END += r"yesterday|today|after|before|while|when|as|to|in\s+a|citing|adding|quoting)\b))"

# "told" is left out: in ", told Reuters" the words after it name the audience, not the speaker.
_POSTPOSED_VERBS = r"said|says|added|adds|stated|reported|announced|claimed|tweeted|noted|wrote|confirmed|warned"
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<who>[^,.;:\"“”]{{2,90}}?){_NAME_END}", re.I)
# "..., said the International Committee of the Red Cross." / "..., the activist said."
_POSTPOSED = re.compile(
    rf"[,”\"]\s*(?:(?:{_POSTPOSED_VERBS})\s+(?P<who1>[^,.;:\"“”]{{2,90}}?)(?=\s*(?:[.;!?]|,\s+(?:a|an|the|who)\b|$))"
    rf"|(?P<who2>[^,.;:\"“”]{{2,90}}?)\s+(?:has\s+|have\s+|had\s+)?(?:{_REPORTING})\b\s*(?:[.,;!?]|$|\s+(?:on|in|at|late|earlier|later|last|this|yesterday|today|citing|adding|after)\b))",
    re.I,
)
# "X told Reuters/reporters/AFP"
_TOLD = re.compile(r"\btold\s+(?:Reuters|AFP|AP|reporters|journalists|the\s+\w+|a\s+\w+|[A-Z]\w+)", re.I)
_VERB = re.compile(rf"\b(?:has\s+|have\s+|had\s+|also\s+|previously\s+|later\s+|reportedly\s+)*"
                   rf"(?P<verb>{_REPORTING})\b")
_CLAUSE_BREAK = re.compile(r"[,;:.“”\"()]|\b(?:that|and|but|while|after|as|when|because|where|though|although|"
                           r"since|whereas|if|so)\b(?!\s*[A-Z][a-z]*\s+(?:of|and)\b)")
_LEADING = re.compile(r"^(?:[Tt]he|[Aa]n?)\s+(?=[A-Z0-9])")


def _clean(who: str | None) -> str | None:
    """Trim a speaker phrase; None for a pronoun or an empty phrase."""
    if not who:
        return None
    who = re.sub(r"\s+", " ", who).strip(" ,;:'\"“”’")
    who = re.sub(r"\s+(?:has|have|had|also|previously|later|reportedly|on\s+\w+day)$", "", who, flags=re.I)
    if not who or who.lower() in _PRONOUNS:
        return None
    if len(who.split()) > 12:
        return None
    who = _LEADING.sub("", who)
    who = re.sub(r"^(?:The|A|An)(?=\s+[a-z])", lambda m: m.group(0).lower(), who)  # "The army" -> "the army"
    if who[:1].islower() and not re.match(r"(?:the|a|an)\s", who, re.I):
        # "officials", "activists": a bare common noun is still a speaker; a verb phrase is not.
        if re.match(r"(?:is|was|were|are|it|there|to)\b", who, re.I):
            return None
    return who


def _subject_before(sentence: str, verb_start: int) -> str | None:
    """The noun phrase right before a reporting verb, skipping an appositive ("X, the director of Y,")."""
    left = sentence[:verb_start].rstrip()
    left = re.sub(r"(?:\s+(?:has|have|had|also|previously|later|reportedly))+$", "", left, flags=re.I)
    if left.endswith(","):
        # "Hamza al-Khatib, the director of a hospital, told Reuters": the name before the appositive.
        body = left[:-1]
        comma = body.rfind(",")
        if comma >= 0:
            head = body[:comma]
            breaks = list(_CLAUSE_BREAK.finditer(head))
            cand = head[breaks[-1].end():] if breaks else head
            if cand.strip() and cand.strip()[0].isupper() and len(cand.split()) <= 6:
                return cand
        left = body
    breaks = list(_CLAUSE_BREAK.finditer(left))
    cand = left[breaks[-1].end():] if breaks else left
    words = cand.split()
    if len(words) > 10:
        return None
    return cand


def attribute(sentence: str) -> str | None:
    """The speaker a sentence attributes its content to, as written, or None."""
    m = _ACCORDING.search(sentence)
    if m:
        who = _clean(m.group("who"))
        if who:
            return who
    for m in _POSTPOSED.finditer(sentence):
        who = _clean(m.group("who1") or m.group("who2"))
        if who and not SPEECH_VERB_RE.search(who) and not re.search(
                r"\b(?:is|was|were|are|had|have|has|been|will|would)\b", who, re.I):
            return who
    for m in _VERB.finditer(sentence):
        who = _clean(_subject_before(sentence, m.start()))
        if who:
            return who
    return None
