"""Word lists the extractor reads attribution with.

Kept apart from the logic so they can grow without touching it. All entries are
lower case; lookups fold case.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one string, as a set."""
    return frozenset(text.split())


#: Verbs that attribute a quotation ("Rutte said", "said Rutte", "she added").
SPEECH_VERBS = words(
    """
    said says say saying told tells tell added adds stressed stresses warned warns wrote writes
    declared declares stated states explained explains argued argues insisted insists noted
    notes asked asks replied replies responded responds answered answers continued continues
    claimed claims announced announces admitted admits acknowledged acknowledges cautioned
    cautions urged urges predicted predicts recalled recalls remarked remarks suggested suggests
    tweeted tweets posted posts emphasised emphasized emphasises emphasizes underlined
    underlines reiterated reiterates confirmed confirms observed observes complained complains
    conceded concedes promised promises vowed vows pledged pledges maintained maintains
    contended contends countered counters quipped quips joked jokes clarified clarifies
    insisted concluded concludes mused muses shouted shouts yelled whispered boasted boasts
    testified testifies proclaimed proclaims assured assures threatened threatens
    asserted asserts alleged alleges charged lamented laments agreed disagreed objected
    protested protests wondered wonders demanded demands recounted recounts repeated repeats
    laughed sighed snapped interjected interrupted reminded reminds estimated estimates
    pleaded pleads exclaimed muttered grumbled retorted retorts scoffed scoffs adding warning
    arguing insisting noting telling writing stressing explaining urging vowing promising
    pledging claiming declaring
    """
)

#: Verbs that attribute only a quotation woven into the sentence
#: (he called it "a historic moment").
EMBEDDING_VERBS = words(
    """
    called calls described describes branded brands termed accused accuses praised praises
    criticised criticized criticises criticizes dismissed dismisses denounced denounces
    condemned condemns blasted blasts slammed slams hailed hails welcomed welcomes likened
    likens labelled labeled labels characterised characterized calling describing branding
    accusing praising criticising criticizing dismissing denouncing condemning blasting
    slamming hailing welcoming likening labelling labeling
    """
)

#: Words allowed between a subject and its verb ("Rutte has also said").
AUXILIARIES = words(
    "has have had also later then again previously once earlier recently repeatedly "
    "reportedly publicly further separately would will was is quoted as"
)

PRONOUNS = {"he": "m", "she": "f"}
PLURAL_PRONOUNS = words("they we i you it")

#: Titles and offices stripped from the front of a name ("Secretary General Mark Rutte").
TITLE_WORDS = words(
    """
    president vice prime minister secretary general secretary-general chancellor senator sen
    sen. representative rep rep. congressman congresswoman governor gov gov. mayor chairman
    chairwoman chair chief ceo director spokesperson spokesman spokeswoman ambassador king queen
    prince princess pope dr dr. mr mr. mrs mrs. ms ms. miss sir dame lord lady gen gen. adm
    adm. admiral col col. colonel lt lt. lieutenant commander commissioner speaker leader deputy
    foreign defence defense finance interior trade justice attorney judge premier
    president-elect mp mep councillor councilman professor prof prof. rev rev. reverend
    sheikh emir sultan ayatollah envoy officer head minister-president taoiseach
    crown state home first former acting incoming outgoing sergeant sgt sgt. captain capt
    capt. major gov't chancellor-elect marshal master harbourmaster treasurer auditor
    comptroller sheriff coroner registrar clerk magistrate justice solicitor barrister
    constable inspector superintendent provost rector chancellor bishop archbishop
    cardinal rabbi imam pastor
    republican republicans democrat democrats democratic independent conservative liberal
    labour socialist gop coach striker parent resident activist lawyer author poet writer
    novelist economist candidate nominee challenger incumbent superintendent executive
    """
)

#: Honorifics that tell a person's gender (used to resolve "he"/"she").
GENDERED_TITLES = {
    "mr": "m",
    "mr.": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "congressman": "m",
    "spokesman": "m",
    "chairman": "m",
    "councilman": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
    "congresswoman": "f",
    "spokeswoman": "f",
    "chairwoman": "f",
}

#: Nouns that make "a spokesperson said" an attribution to somebody unnamed.
UNNAMED_NOUNS = words(
    """
    spokesperson spokesman spokeswoman official officials source sources aide aides adviser
    advisers advisor advisors analyst analysts statement diplomat diplomats expert experts
    lawmaker lawmakers ministry government administration embassy office report negotiator
    negotiators representative representatives person people spokespeople organisers
    organizers police authorities military army
    """
)
#: Words that make a capitalised run an organisation, place, event or date, not a person.
NOT_PERSON_WORDS = words(
    """
    commission council parliament union party house senate department ministry office agency
    bank forum nations states united kingdom republic federal national white european north
    south east west northern southern eastern western new security defence defense news times
    post street university institute committee court company group association organisation
    organization foundation club league fund international world global america africa asia
    europe sea ocean island islands city county province region centre center summit
    conference treaty agreement act bill plan war talks monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december arctic antarctic pacific atlantic minister president press associated
    journal tribune herald guardian telegraph gazette reuters bloomberg broadcasting television
    radio network media magazine newspaper alliance federation coalition corporation
    reserve fed authority board service services police army navy kremlin pentagon
    administration government ministry embassy inc ltd llc
    """
)
DETERMINERS = words("the a an his her their its our this that one another")

NATIONALITIES = words(
    """
    american british danish german french russian chinese ukrainian canadian dutch swedish
    norwegian finnish polish italian spanish japanese indian israeli iranian turkish european
    greenlandic belgian austrian australian mexican brazilian korean saudi hungarian estonian
    latvian lithuanian irish scottish welsh swiss portuguese greek czech slovak romanian
    bulgarian icelandic egyptian syrian palestinian pakistani afghan iraqi venezuelan argentine
    argentinian colombian chilean english nato eu un us uk
    """
)

#: Words naming a weekday or month: never a speaker, even alone ("Friday said" is no cue).
CALENDAR_WORDS = words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow
    """
)

#: Lower-case words that may describe a person before the name
#: ("campaign lawyer Dana Whitfield", "said health department spokesman Ivan Petrov"):
#: anything but these.
NOT_ROLE_WORDS = words(
    """
    of in on at by for from with to into about as than that which who whom whose when while
    where and or but nor not no is are was were be been being has have had do does did will
    would shall should can could may might must said says told added according after before
    during since until because if so also then later earlier again once still
    """
)

#: Labels at the start of a transcript or interview line that name no speaker.
NOT_SPEAKER_LABELS = words(
    """
    q a note update correction editor's editors photo photos source sources watch read more
    related tags topics by caption video audio listen update: warning advertisement
    """
)

#: What a person says through: "Hale's statement said", "her letter called it ...".
STATEMENT_NOUNS = words("statement remarks speech letter post tweet message testimony op-ed")

#: Words before a plural noun ("eleven states", "of the states", "many remarks").
QUANTITY_WORDS = words(
    """
    of the these those all many some several few both two three four five six seven eight
    nine ten eleven twelve twenty fifty hundred dozens other such your my
    """
)

#: Name particles written in lower case inside a name ("Ursula von der Leyen").
NAME_PARTICLES = words("von van der den de da di du le la al bin ibn el dos del ter")

#: Capitalised words that begin sentences but never names.
FUNCTION_WORDS = words(
    """
    a an the this that these those in on at by for from with after before earlier later while
    when as but and or so yet if although though since because meanwhile however speaking
    asked also still then now today yesterday last next it he she they we i his her their our
    its there here what who why how where which not no according despite during under over
    instead indeed still moreover furthermore certainly nonetheless nevertheless thus
    overall separately elsewhere both neither either all some many most several such one two
    three four five another
    """
)

#: Conjunctions that make a quoted sentence lean on the one before it.
CONTINUING_WORDS = words("and but or nor yet so because")

#: Words before a quotation that mark a name or a term, not somebody's words.
NAMING_WORDS = words(
    "so-called dubbed nicknamed titled entitled named phrase slogan motto hashtag term "
    "nickname chant chanting reading headlined captioned banner"
)

#: Small words allowed in lower case inside a Title Case name ("Kingdom of Denmark").
TITLE_CASE_SMALL_WORDS = words("of the and a an in on for to at de von van der")

#: Complements that belong to the attribution ("said in a statement", "told Reuters").
MAX_CUE_COMPLEMENT_WORDS = 6
