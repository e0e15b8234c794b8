package quotes

import (
	"regexp"
	"strings"
)

// speechVerbs introduce or attribute reported speech. Multi-word entries are
// matched as phrases.
var speechVerbs = []string{
	"said", "says", "say", "told", "tells", "added", "adds", "noted", "notes",
	"stated", "states", "wrote", "writes", "warned", "warns", "argued", "argues",
	"explained", "explains", "insisted", "insists", "declared", "declares",
	"announced", "announces", "asked", "asks", "urged", "urges", "continued",
	"continues", "affirmed", "affirms", "stressed", "stresses", "emphasized",
	"emphasised", "emphasizes", "emphasises", "agreed", "agrees", "replied",
	"replies", "recalled", "observed", "acknowledged", "admitted", "conceded",
	"claimed", "claims", "commented", "remarked", "tweeted", "posted",
	"pointed out", "points out", "concluded", "predicted", "cautioned",
	"countered", "responded", "suggested", "complained", "vowed", "promised",
	"confirmed", "reiterated", "maintained", "contended", "asserted", "added",
	"underlined", "underscored", "highlighted", "recounted", "quipped",
	"read", "reads", "according to", "told reporters", "wrote on",
}

// namingWords before a quotation mark make the quoted words a name or a term,
// not speech ("a resolution titled “…”", "what Beijing calls “…”").
var namingWords = []string{
	"titled", "entitled", "called", "calls", "call", "dubbed", "named", "nicknamed",
	"so-called", "known as", "termed", "labelled", "labeled", "branded", "coined",
	"the phrase", "the term", "the word", "the words", "the slogan", "headlined",
	"marked", "stamped", "reading", "the label", "the banner",
}

var (
	speechRe  = regexp.MustCompile(`(?i)\b(` + alternation(speechVerbs) + `)\b`)
	namingRe  = regexp.MustCompile(`(?i)\b(` + alternation(namingWords) + `)\s*$`)
	pronounRe = regexp.MustCompile(`(?i)^(he|she|they|it|we)$`)
)

func alternation(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strings.ReplaceAll(regexp.QuoteMeta(w), " ", `\s+`)
	}
	// Longer alternatives first so "pointed out" beats shorter prefixes.
	for i := range q {
		for j := i + 1; j < len(q); j++ {
			if len(q[j]) > len(q[i]) {
				q[i], q[j] = q[j], q[i]
			}
		}
	}
	return strings.Join(q, "|")
}

// titleWords are honorifics and office titles stripped from the front of a
// name ("French President Emmanuel Macron" → "Emmanuel Macron").
var titleWords = setOf(
	"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame",
	"lord", "lady", "h.e.", "hon.", "rev.", "president", "vice", "minister", "prime",
	"secretary", "secretary-general", "general", "deputy", "senator", "sen.", "rep.",
	"representative", "governor", "mayor", "chancellor", "ambassador", "commissioner",
	"director", "director-general", "chairman", "chairwoman", "chair", "chief", "executive",
	"officer", "leader", "majority", "minority", "spokesperson", "spokesman", "spokeswoman",
	"press", "attorney", "judge", "justice", "king", "queen", "prince", "princess", "emir",
	"sheikh", "premier", "speaker", "coach", "captain", "envoy", "adviser", "advisor",
	"counsel", "founder", "ceo", "cto", "ciso", "head", "delegate", "foreign", "state",
	"defence", "defense", "interior", "justice", "finance", "trade", "economy", "digital",
	"cyber", "security", "national", "special", "senior", "former", "acting", "assistant",
	"under", "undersecretary", "administrator", "superintendent", "inspector", "colonel",
	"gen.", "lt.", "admiral", "sergeant", "professor", "economist", "analyst", "expert",
	"researcher", "consultant", "lawyer", "activist", "journalist", "editor", "host",
	"u.n.", "u.s.", "un", "us", "uk", "eu", "white", "house",
)

// humanNouns head descriptions of unnamed speakers.
var humanNouns = setOf(
	"official", "officials", "spokesperson", "spokesman", "spokeswoman", "diplomat", "researcher",
	"representative", "delegate", "analyst", "expert", "investigator", "responder",
	"strategist", "forecaster", "visitor", "source", "aide", "adviser", "advisor",
	"minister", "officer", "executive", "lawyer", "leader", "member", "negotiator",
	"envoy", "ambassador", "commissioner", "chair", "chairman", "chairwoman", "director",
	"professor", "scientist", "engineer", "resident", "witness", "activist", "economist",
	"trader", "employee", "worker", "manager", "president", "secretary-general",
	"secretary", "coach", "player", "captain", "banker", "consultant", "specialist",
	"student", "teacher", "doctor", "nurse", "farmer", "owner", "founder", "mayor",
	"governor", "senator", "lawmaker", "legislator", "judge", "prosecutor", "regulator",
	"person", "woman", "man", "user", "customer", "victim", "survivor", "organiser",
	"organizer", "campaigner", "advocate", "critic", "observer", "insider", "tourist",
	"commentator", "columnist", "historian", "economist", "spokesperson's", "staffer",
	"administrator", "chief", "head", "counsel", "premier", "chancellor", "king", "queen",
)

// orgNouns head descriptions that refer back to an organisation ("the
// foundation said").
var orgNouns = setOf(
	"group", "groups", "foundation", "company", "firm", "party", "organisation", "organization",
	"agency", "bureau", "ministry", "department", "union", "coalition", "alliance",
	"association", "federation", "accord", "institute", "body", "network", "gang",
	"campaign", "charity", "commission", "committee", "council", "bank", "government",
	"administration", "embassy", "office", "secretariat", "club", "team", "board",
	"centre", "center", "lab", "university", "court", "police", "army", "operator",
	"insurer", "carrier", "airline", "regulator", "watchdog", "platform", "service",
	"delegation", "mission",
)

// orgWords mark a capitalised sequence as an organisation, place or thing
// rather than a person.
var orgWords = setOf(
	"department", "ministry", "office", "agency", "bureau", "union", "council", "committee",
	"commission", "foundation", "institute", "organisation", "organization", "association",
	"associations", "group", "party", "house", "court", "nations", "states", "kingdom",
	"republic", "federation", "convention", "call", "accord", "declaration", "process",
	"initiative", "forum", "summit", "agreement", "treaty", "protocol", "corporation",
	"inc", "ltd", "company", "bank", "university", "lab", "laboratory", "police",
	"assembly", "parliament", "congress", "senate", "watch", "now", "international",
	"pipeline", "software", "times", "news", "post", "journal", "reuters", "street",
	"square", "tower", "week", "center", "centre", "service", "services", "force",
	"army", "navy", "command", "administration", "government", "cabinet", "affairs",
	"security", "intelligence", "mechanism", "strategy", "framework", "act", "law",
	"code", "policy", "network", "networks", "systems", "technologies", "technology",
	"group's", "coast", "sea", "ocean", "river", "mountains", "island", "islands",
	"city", "county", "province", "region", "airport", "station", "hall", "palace",
	"church", "mosque", "museum", "hospital", "school", "college", "academy", "club",
	"fund", "trust", "board", "authority", "coalition", "alliance", "network", "era",
	"goals", "development", "rights", "data", "cyberspace", "internet", "web",
	"sands", "bay", "day", "year", "games", "cup", "championship", "league", "final",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "energy", "infrastructure",
	"crime", "drugs", "justice", "transportation", "defense", "defence", "health",
	"microsoft", "google", "facebook", "meta", "twitter", "apple", "amazon", "cisco",
	"africa", "america", "europe", "asia", "york", "zealand", "korea", "arabia", "emirates",
	"lanka", "guinea", "verde", "kong", "leone", "rica", "salvador", "federal", "public",
	"sustainable", "global", "digital", "artificial", "islamic", "muslim", "christian",
	"index", "pro", "plus", "max", "mini", "ultra", "edition", "series",
)

// placeWords are places and nationalities commonly capitalised in news.
var placeWords = setOf(
	"washington", "moscow", "beijing", "paris", "london", "brussels", "geneva",
	"vienna", "new", "united", "european", "american", "russian", "chinese", "french",
	"british", "german", "iranian", "israeli", "ukrainian", "japanese", "indian",
	"african", "asian", "western", "eastern", "northern", "southern", "north", "south",
	"east", "west", "central", "middle", "gulf", "pacific", "atlantic", "latin",
	"saudi", "hong", "sri", "el", "costa", "san", "los", "las", "rio", "abu", "addis",
	"tel", "kuala", "buenos", "cape", "equatorial", "marina",
)

// placeParts end place names ("New York") but also surnames ("Kate York").
var placeParts = setOf("york", "zealand", "lanka", "leone", "rica", "verde", "kong", "law")

// particles may appear in lower case inside a personal name.
var particles = setOf("de", "van", "von", "der", "den", "da", "di", "du", "del", "della",
	"la", "le", "bin", "ibn", "al", "el", "dos", "das", "ter", "ten", "y", "zu", "af")

// leadFillers are sentence openers stripped from a subject phrase.
var leadFillers = setOf("but", "and", "so", "yet", "still", "instead", "meanwhile",
	"however", "also", "then", "now", "later", "earlier", "separately", "indeed", "here",
	"there", "that", "this", "while", "when", "as", "in", "at", "on")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
