"""Word lists and patterns of numeric claims: event words, people nouns, joiners, tokens."""
from __future__ import annotations

import re


CLAIM_COLUMNS = [
    "doc_id", "outlet", "published", "sent_id", "start", "end", "number", "stated", "value", "low",
    "high", "approximate", "qualifier", "unit", "unit_source", "event", "subject", "phrase", "year",
    "period", "period_source", "claim_group", "text",
]


CLAIM_KINDS = ("cardinal", "money", "percent")


DEFAULT_TOLERANCE = 0.10  # "some 8,000" covers 7,200..8,800


# Words (with designations such as "F-16", "AGM-114" kept whole), numbers, punctuation.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W_]+)*|\d[\d,.]*|[^\w\s]")


# Words that end the noun phrase after a number.
_NP_STOP = set("""
a an the this that these those his her its their our my your to in on at from by with for of into onto
over under between among against about after before during since until than as per via and or but nor
is are was were be been being have has had will would shall should can could may might must do does did
which who whom whose where when while whereas if because although though so such also already still
now then just only even ever never not no yet again reportedly each every both either all some more most
""".split())


# Modifiers that may open the noun phrase but are not its head.
_NP_SKIP_LEADING = {"more", "additional", "further", "other", "extra", "new", "of", "the", "these",
                    "those", "such", "another", "hundred", "thousand", "million", "billion", "dozen"}


_CURRENCY_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling", "JPY": "yen",
                   "RUB": "roubles", "INR": "rupees", "CNY": "yuan"}


EVENT_WORDS = {
    "killed": """killed kill kills killing died die dies dying dead death deaths slain murdered massacred
                 executed toll fatalities""",
    "wounded": "wounded wounding injured injuring injuries hurt",
    "displaced": "displaced uprooted fled refugees homeless",
    "detained": "arrested detained captured kidnapped abducted imprisoned jailed",
    "delivered": """delivered deliver delivers delivering delivery deliveries shipped ship ships shipping
                    shipment shipments sent send sending supplied supply supplying supplies provided
                    provide provides providing provision transferred transfer transfers handed received
                    arrived""",
    "sold": """sold sell sells selling sale sales deal deals contract contracts bought buy buying purchase
               purchased purchases ordered order orders approved package packages""",
    "deployed": "deployed deploy deploying deployment stationed based",
    "financed": "loan loans credit credits financed funded funding paid pay pays paying payment payments",
}


# Export and import move arms from one country to another: counted as deliveries.
for _w in "export exports exported exporting import imports imported importing".split():
    EVENT_WORDS["delivered"] += " " + _w


_EVENT_OF = {w: event for event, words in EVENT_WORDS.items() for w in words.split()}


_BEFORE_SKIP = {"of", "the", "a", "an", "additional", "another", "more", "than", "some", "about", "around",
                "nearly", "almost", "over", "up", "to", "at", "least", "roughly", "approximately", "further",
                "extra", "new", "just", "only", "$", "€", "£", "for", "worth", "valued", "is", "was", "are",
                "were", "be", "been", "totalling", "totaling", "rose", "risen", "climbed", "reached",
                "stood", "stands", "hit", "increased", "jumped", "totalled", "totaled", "has", "had", "its",
                "their", "his", "her", "all", "possible", "proposed", "potential", "planned", "total",
                "estimated", "further"}


# Event nouns count only right after the counted phrase ("10 drones are scheduled for delivery"); further
# on they belong to another phrase ("fishermen gathered ... to protest against the deal").
EVENT_NOUNS = {"death", "deaths", "toll", "fatalities", "delivery", "deliveries", "shipment", "shipments",
               "supplies", "provision", "transfer", "transfers", "sale", "sales", "deal", "deals",
               "contract", "contracts", "purchase", "purchases", "order", "orders", "deployment",
               "package", "packages",
               "injuries", "refugees", "loan", "loans", "credit", "payment", "payments", "export", "exports"}


_JOINERS = {"and", ",", "plus", "worth", "valued", "costing", "for", "as", "well", "including", "among", "them", "of", "whom", "which", "another",
            "more", "than", "some", "about", "around", "nearly", "almost", "over", "at", "least", "up", "to"}


_FUTURE_EVENT = {"delivered": "to be delivered", "sold": "to be sold", "deployed": "to be deployed"}


_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|going to|scheduled|due|expected|planned|plans?|set to|slated|"
    r"to be|accelerate|speed up|intends?|upcoming)\b", re.IGNORECASE)


_CASUALTY_EVENTS = {"killed", "wounded", "displaced", "detained"}


# Nouns that count people in general; demonym plurals ("Iraqis", "Syrians") count people too.
PEOPLE_NOUNS = {"people", "persons", "person", "individuals", "residents", "inhabitants", "lives",
                "humans", "souls", "others"}


# Ages are not claims: "aged 45", "Ali, 45, was ..." (a small whole number between commas after a name).
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.IGNORECASE)


_NAME_COMMA_BEFORE = re.compile(r"[A-Z][\w'’-]*,\s*$")


_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]+(?:is|ans|ians|ites|ese|ds)$")


# Plurals kept as written: the singular reads wrongly or does not exist.
_KEEP_PLURAL = {"people", "personnel", "troops", "police", "arms", "forces", "militia", "media", "data",
                "news", "series", "species", "headquarters", "equipment", "ammunition", "aircraft",
                "lives", "crossroads"}


_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "policemen": "policeman",
              "countries": "country", "militias": "militia", "casualties": "casualty",
              "armies": "army", "bodies": "body", "allies": "ally", "sanctions": "sanction",
              "buses": "bus", "gases": "gas", "aircrafts": "aircraft"}


_NUMBER_OF = re.compile(r"\bnumber of ((?:[a-z]+ ){0,2}?[a-z]+s)\b")
