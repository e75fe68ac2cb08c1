"""Las palabras que buscan las comprobaciones de afirmaciones y contradicciones, en español.

The Spanish counterpart of claim_terms.py, with the same names and the same rules: every wording is
a regular expression matched case-insensitively, as whole words ('seguro' does not match
'inseguro' or 'seguridad'). Keep them short and literal so a reviewer can see why a sentence was
flagged; tests/test_check_claims.py shows what each must catch. These lists were written by the
pipeline's authors, not by a fluent health writer: a Spanish-speaking reviewer should extend them.
"""

from __future__ import annotations

# --- Negación (afirmaciones y contradicciones) -------------------------------------------------

NEGATIONS = frozenset("no ni nunca jamás tampoco nada ningún ninguno ninguna sin imposible".split())
"""A claim term with one of these among the few words before it is denied, not claimed ("no es
seguro", "no hay cura", "sin riesgo" is a claim of no risk: see ABSOLUTE_CLAIMS)."""

NEGATION_SUFFIXES: tuple[str, ...] = ()
"""Spanish has no negation written into another word (English n't)."""

NEGATION_WINDOW = 4

SKIPPED_IN_WINDOW = frozenset("el la los las lo un una unos unas su sus de del al a se es son ser sido está están".split())

NEGATING_PHRASES = ("libre de", "exento de", "exenta de")
"""Count as one negation word, like 'sin': "libre de efectos secundarios"."""

CLAUSE_BREAK = (
    r"[,;:()\[\]—–]|\s-\s|\b(?:y|e|o|u|pero|porque|si|aunque|mientras|sino)\b"
    r"|\b(?:evit|preven|reduc|disminu|limit|minimiz)\w*"
)
"""A negation never reaches across these: in "no es adictivo y es seguro" the 'no' belongs to
'adictivo'; in "no lo deje de golpe para evitar la abstinencia" avoiding it says it can happen."""

# --- claim-absolute ------------------------------------------------------------------------------

_HEALTH_BENEFITS = (
    r"alternativas?|opci(?:ón|ones)|remedios?|curas?|tratamientos?|terapias?|medicinas?|medicamentos?"
    r"|soluci(?:ón|ones)|analgésicos?|alivio"
)

ABSOLUTE_CLAIMS: dict[str, tuple[str, tuple[str, ...]]] = {
    # claim: (what it asserts, for the message (in English, like every report); the wordings)
    "seguro": (
        "says it is safe",
        # Not "seguro médico" (health insurance) nor "en un lugar seguro" (keep it safe): those are no claims.
        (r"segur[oa]s? y eficaz(?:es)?", r"(?<!lugar )(?<!sitio )segur[oa]s?(?! (?:médico|de salud|social|de que))"),
    ),
    "más seguro que": ("says it is safer than something else", (r"más segur[oa]s? que",)),
    "sin riesgo": (
        "says there is no risk",
        (r"sin (?:ningún |ning[uú]n )?riesgos?", r"riesgo cero", r"libre de riesgos?", r"no hay (?:ningún )?riesgo"),
    ),
    "inofensivo": ("says it cannot harm", (r"inofensiv[oa]s?",)),
    "sin efectos secundarios": (
        "says it has no side effects",
        (
            r"sin (?:ningún |ningunos? )?efectos? (?:secundarios?|adversos?)",
            r"no (?:tiene|tienen|causa|causan|produce|producen) (?:ningún |ningunos? )?efectos? (?:secundarios?|adversos?)",
            r"libre de efectos? secundarios?",
        ),
    ),
    "cura": ("promises a cure", (r"cura(?:s|r|rá|n)?",)),
    "milagro": ("promises a miracle", (r"milagros?", r"milagros[oa]s?")),
    "garantizado": ("promises a result", (r"garantiza(?:d[oa]s?|r)?",)),
    "probado": ("says it is proven", (r"(?:científicamente |clínicamente )?(?:probad|comprobad|demostrad)[oa]s?",)),
    "100%": ("claims certainty", (r"100 ?%", r"100 por ?ciento", r"cien por ?ciento")),
    "natural": (
        "uses 'natural' as a reason to trust it",
        (r"(?:totalmente|100 ?%) natural(?:es)?", rf"(?:{_HEALTH_BENEFITS}) natural(?:es)?"),
    ),
}

# --- number-unreferenced -------------------------------------------------------------------------

_NUMBER_WORD = r"dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|veinte|cincuenta|cien|mil"
_POPULATION = (
    r"personas|pacientes|usuari[oa]s|adult[oa]s|niñ[oa]s|adolescentes|mujeres|hombres|estudios|ensayos"
    r"|participantes|casos|muertes|individuos|médic[oa]s|consumidores"
)
_COMPARED = r"más|menos|mayor|menor|(?:el|la) (?:riesgo|probabilidad|tasa|número)"

STATISTICS: dict[str, str] = {
    "percentage": r"\d+(?:[.,]\d+)? ?(?:%|por ?ciento)(?: de (?:l[oa]s )?(?:[\w-]+ )?(?:" + _POPULATION + r"))?",
    "proportion": r"(?:\d+|un[oa]?|" + _NUMBER_WORD + r") de cada (?:[\d.]+|" + _NUMBER_WORD + r"|un millón)",
    "comparison": r"(?:(?:\d+(?:[.,]\d+)?|" + _NUMBER_WORD + r") veces|el doble|el triple|la mitad) (?:" + _COMPARED + r")",
    "count": r"(?:\d[\d.,]*|" + _NUMBER_WORD + r"|(?:decenas|cientos|miles|millones) de)"
    r" (?:[\w-]+ )?(?:" + _POPULATION + r")",
}

# --- contradiction -------------------------------------------------------------------------------

RISKS: dict[str, tuple[str, ...]] = {
    "overdose": (r"sobredosis",),
    "addiction": (r"adicci(?:ón|ones)", r"adictiv[oa]s?"),
    "dependence": (r"dependencia",),
    "respiratory depression": (r"depresión respiratoria",),
    "side effects": (r"efectos? (?:secundarios?|adversos?)",),
    "withdrawal": (r"(?:síndrome de )?abstinencia",),
    "tolerance": (r"tolerancia",),
    "death": (r"muertes?", r"morir", r"mortal(?:es)?", r"letal(?:es)?"),
    "harm": (r"daños?", r"dañin[oa]s?", r"peligros?", r"peligros[oa]s?", r"riesgos?(?! de\b)"),
}

DENYING_WORDS: dict[str, tuple[str, ...]] = {
    "harm": (r"inofensiv[oa]s?",),
}

DENIED_AFTER = (
    r"(?:no es|no son) (?:posible|posibles|un riesgo|un problema|una preocupación)"
    r"|(?:es|son) imposibles?"
    r"|no (?:puede|pueden|va a|suele)? ?(?:ocurrir|pasar|suceder)"
)
"""Said after a risk (at most three words later), these deny that it exists: "la sobredosis no es
posible"."""

COMPARATIVES = frozenset("menos menor menores reducido reducida reducidos reducidas".split())
"""A risk in the same clause as one of these is compared, not affirmed or denied."""

QUESTION_OPENING = r"^¿"
"""A clause opening with ¿ asks, it does not affirm."""

LIST_GLUE = r"y|o|ni|e|u|y/o"
