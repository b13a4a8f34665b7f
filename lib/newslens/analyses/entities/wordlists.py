"""Word lists for detecting names the gazetteer does not know: titles, heads, months, function words."""
from __future__ import annotations


# --- word lists for detection -------------------------------------------------------------------
# Titles that stand before a personal name: "President Putin" names a person even in one word.
PERSON_TITLES = {
    "President", "Minister", "Secretary", "General", "Gen", "Colonel", "Col", "Lieutenant", "Lt", "Major",
    "Maj", "Captain", "Capt", "Sergeant", "Sgt", "Admiral", "Adm", "Commander", "Cmdr", "Senator", "Sen",
    "Representative", "Rep", "Congressman", "Congresswoman", "Governor", "Gov", "Mayor", "Ambassador",
    "Chairman", "Chairwoman", "Speaker", "Justice", "Judge", "King", "Queen", "Prince", "Princess",
    "Sheikh", "Sheik", "Emir", "Ayatollah", "Imam", "Pope", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof",
    "Professor", "Sir", "Lord", "Lady", "Spokesman", "Spokeswoman",
}


# Words that start a title inside a capitalised run: "Ukrainian Foreign Minister Dmytro Kuleba" splits
# before "Foreign", whatever nationality word comes first.
TITLE_STARTERS = PERSON_TITLES | {
    "Vice", "Prime", "Deputy", "Foreign", "Defense", "Defence", "Interior", "Rear", "Grand", "Acting",
    "Former",
}


# Words of titles and offices, dropped from the front of a detected name.
TITLES = PERSON_TITLES | {
    "President", "Vice", "Prime", "Minister", "Secretary", "Deputy", "Assistant", "Under", "General",
    "Gen", "Colonel", "Col", "Lieutenant", "Lt", "Major", "Maj", "Captain", "Capt", "Sergeant", "Sgt",
    "Admiral", "Adm", "Rear", "Commander", "Cmdr", "Brigadier", "Brig", "Marshal", "Senator", "Sen",
    "Representative", "Rep", "Congressman", "Congresswoman", "Governor", "Gov", "Mayor", "Ambassador",
    "Chairman", "Chairwoman", "Chair", "Speaker", "Spokesman", "Spokeswoman", "Press", "Chief", "Director",
    "Justice", "Judge", "King", "Queen", "Prince", "Princess", "Sheikh", "Sheik", "Emir", "Ayatollah",
    "Grand", "Imam", "Cleric", "Pope", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir",
    "Lord", "Lady", "Defense", "Defence", "Foreign", "Interior", "Finance", "State", "Army", "Staff",
    "Acting", "Former", "Envoy", "Special", "Senior", "Top", "Supreme", "Leader", "Commissioner",
}


MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec",
}


WEEKDAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue",
    "Wed", "Thu", "Fri", "Sat", "Sun",
}


# Capitalised words that describe people or things but do not name an actor on their own.
DESCRIPTORS = {
    "Sunni", "Sunnis", "Shiite", "Shiites", "Shia", "Shi'ite", "Kurd", "Kurds", "Kurdish", "Arab",
    "Arabs", "Arabic", "Muslim", "Muslims", "Islamist", "Islamists", "Islamic", "Christian",
    "Christians", "Jewish", "Yazidi", "Yazidis", "Turkmen", "Democratic", "Democrat", "Democrats",
    "Republican", "Republicans", "American", "Americans", "Iraqi", "Iraqis", "Syrian", "Syrians",
    "Iranian", "Iranians", "Turkish", "Saudi", "Saudis", "Russian", "Russians", "British", "French",
    "German", "Germans", "European", "Europeans", "Western", "Arabian", "Persian", "Afghan", "Pakistani",
    "Jihadist", "Jihadists", "Baathist", "Baathists", "Israeli", "Israelis", "Lebanese", "Jordanian",
    "Egyptian", "Libyan", "Yemeni", "Chinese", "Kuwaiti", "Qatari", "Emirati", "Photo", "Image",
    "Read", "More", "Latest", "Date", "Text",
}


# Ordinary words that start sentences; a sentence-initial capital is dropped when its lower-case form
# is one of these or occurs in lower case anywhere in the texts being tagged.
FUNCTION_WORDS = set("""
a about above according across after again against all almost along already also although always
among an and another any around as at back be because been before being below between both but by
can could despite did do does during each either even ever every few following for from further had
has have having he her here hers him his how however if in instead into is it its just last later
least less like many may meanwhile more most much must my near neither never nevertheless next no nor
not now of off on once one only or other others our out over own per perhaps rather several she
should since so some still such than that the their them then there therefore these they this those
though three through thus to today too two under unless until up upon us very was we were what
whatever when where whereas whether which while who whom whose why will with within without would
yesterday yet you your
""".split())


CONNECTORS = {"of", "for", "the", "and", "&"}


ORG_HEADS = {
    "Institute", "Institution", "Council", "Committee", "Department", "Ministry", "Agency", "Party",
    "University", "College", "School", "Foundation", "Center", "Centre", "Corporation", "Corp", "Company",
    "Co", "Inc", "Ltd", "Group", "Association", "Union", "Organization", "Organisation", "Commission",
    "Office", "Bank", "Fund", "Times", "Post", "News", "Journal", "Television", "TV", "Radio", "Network",
    "Court", "Parliament", "Assembly", "Administration", "Authority", "Navy", "Command", "Service",
    "Services", "Board", "Bureau", "Squadron", "Regiment", "Division", "Endowment", "Trust", "Society",
    "Alliance", "Coalition", "Federation", "Congress", "Senate", "Cabinet", "Agencies", "Industries",
    "Systems", "Technologies", "Airlines", "Motors", "Dynamics", "Aerospace", "Boeing", "Lockheed",
    "Marine", "Shipyard", "Shipyards", "Shipbuilding", "Dockyard", "Holdings", "Aviation", "Electronics",
    "Campaign", "Network", "Watch", "Initiative", "Project", "Movement",
}


PLACE_HEADS = {
    "Province", "Governorate", "City", "Region", "Valley", "River", "Mountains", "Mountain", "Island",
    "Islands", "Strait", "Sea", "Gulf", "County", "District", "Square", "Street", "Airport", "Desert",
    "Peninsula", "Bay", "Lake", "Coast", "Republic", "Kingdom", "Emirates", "Heights", "Base", "Camp",
    "Oblast", "Oblasts", "Territory", "Territories", "Prefecture", "Canton", "Village",
}


# First words that make a place name: "Port Amsel", "Mount Sinjar", "Lake Tharthar".
PLACE_PREFIXES = {"Port", "Mount", "Mt", "Lake", "Cape", "Fort", "Saint", "St", "San", "Santa", "Sao",
                  "Gulf", "Bay", "Camp", "Jebel", "Jabal", "Wadi", "Tell", "Ras"}


ARMED_HEADS = {
    "Brigade", "Brigades", "Battalion", "Battalions", "Front", "Militia", "Militias", "Legion",
    "Mujahideen", "Mujahedeen", "Jihad", "Jaish", "Jaysh", "Kataib", "Ansar",
}


ROLE_WORDS = {
    "spokesman", "spokeswoman", "spokesperson", "analyst", "expert", "politician", "lawmaker", "cleric",
    "minister", "commander", "leader", "official", "envoy", "ambassador", "president", "senator",
    "general", "colonel", "reporter", "correspondent", "professor", "researcher", "director", "chief",
    "secretary", "adviser", "advisor", "governor", "mayor", "speaker", "fellow", "author", "writer",
    "scholar", "activist", "resident", "witness", "diplomat", "officer", "editor", "journalist",
    "chairman", "deputy", "mp", "legislator", "sheikh", "economist", "historian", "lecturer",
}


SPEECH_VERBS = {
    "said", "says", "told", "added", "warned", "explained", "wrote", "argued", "noted", "stated",
    "insisted", "claimed", "asked", "declared", "announced", "believes", "thinks", "suggested",
}


_OPENERS = {'"', "“", "‘", "'", "(", "[", ":", "—", "–", "-", "•", "*", "#"}


def _is_cap_word(tok: str) -> bool:
    return tok[:1].isalpha() and tok[:1].isupper()


def _is_word(tok: str) -> bool:
    return tok[:1].isalnum()


class _CapWords(dict):
    """token -> _is_cap_word(token), filled on first sight: a corpus has far fewer distinct tokens than
    tokens, so `list(map(_CAPS.__getitem__, toks))` flags a whole sentence at C speed."""

    def __missing__(self, tok: str) -> bool:
        if len(self) > 1_000_000:  # bound the memory of a long-lived process
            self.clear()
        value = self[tok] = _is_cap_word(tok)
        return value


_CAPS = _CapWords()
