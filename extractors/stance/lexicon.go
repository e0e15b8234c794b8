package stance

import (
	"regexp"
	"strings"
)

// Values are the seven stance values of the corpus schema.
const (
	Signed    = "signed"
	Ratified  = "ratified"
	Supports  = "supports"
	Undecided = "undecided"
	Declined  = "declined"
	Opposes   = "opposes"
	Withdrew  = "withdrew"
)

// Polarity returns "positive", "negative" or "neutral" for a stance value.
func Polarity(stance string) string {
	switch stance {
	case Signed, Ratified, Supports:
		return "positive"
	case Declined, Opposes, Withdrew:
		return "negative"
	default:
		return "neutral"
	}
}

// trigger is one pattern of the verb lexicon.
type trigger struct {
	rule   string
	stance string
	re     *regexp.Regexp
	// explicit triggers carry their own negation or refusal ("declined to
	// sign"): the negation check does not apply to them.
	explicit bool
	// joining triggers become "declined" when negated ("did not sign").
	joining bool
	// needsObject triggers only count when an accord is named or referred
	// to near them (generic verbs such as "backed" or "left").
	needsObject bool
	// listRight triggers introduce the actors after them ("signatories
	// include A, B and C").
	listRight bool
	// objectless triggers name no accord of their own ("were among the
	// signatories"): the accord in focus is meant.
	objectless bool
	// weak triggers report only an absence ("has not yet signed"): they
	// give way to any other stance of the actor in the text.
	weak bool
	// nounUse matches the text before a match that makes it a noun, not a
	// verb ("the signing ceremony", "a Tech Accord exit").
	nounUse *regexp.Regexp
	// nounAfter matches the text after a match that makes it a noun ("a
	// sign that", "the signing of").
	nounAfter  *regexp.Regexp
	confidence float64
}

// mayMatch reports whether the lower-cased sentence contains one of the
// words t's pattern needs: a cheap test before the pattern, which most
// sentences fail.
func (t *trigger) mayMatch(lower string) bool {
	stems := triggerStems[t.rule]
	if len(stems) == 0 {
		return true
	}
	for _, s := range stems {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// triggerStems are, by rule, the lower-case substrings of which every
// match of the rule's pattern contains at least one. A rule without an
// entry is always tried.
var triggerStems = map[string][]string{
	"declined-to":             {"declin", "refus"},
	"not-in-position":         {"not"},
	"chose-not-to":            {"not to"},
	"refusal-to":              {"refusal", "decision not", "reluctan", "unwilling"},
	"stayed-out":              {"stay", "remain", "kept", "keep", "sat ", "sit"},
	"opted-out":               {"opt"},
	"not-yet":                 {"not", "n't", "n’t", "yet"},
	"did-not-sign":            {"not", "n't", "n’t", "never", "cannot"},
	"withdrew-support":        {"withdr", "revok", "rescind", "pull"},
	"withdrew-from":           {"withdr"},
	"pulled-out":              {"pull", "bow"},
	"suspended-participation": {"suspend"},
	"quit":                    {"quit", "exit", "renounc"},
	"urged-not-to":            {"not to"},
	"urged-to-reject":         {"urg", "press", "lobb", "encourag", "call"},
	"urged-to-join":           {"urg", "press", "encourag", "call", "appeal"},
	"warned-that":             {"warn"},
	"voted-against":           {"vot"},
	"rejected":                {"reject", "oppos", "critici", "condemn", "denounc", "slamm", "object", "against", "dismiss", "attack"},
	"under-review":            {"under", "being"},
	"weighing":                {"weigh", "consider", "review", "stud", "assess", "examin", "evaluat", "decid", "made up", "looking at", "whether"},
	"legislature-approved":    {"approv", "consent"},
	"party-to":                {"part"},
	"ratified":                {"ratif", "acced", "accession", "part", "deposit"},
	"joined-consensus":        {"consensus"},
	"sponsors-include":        {"sponsor", "backers"},
	"launched-by":             {"by"},
	"praise":                  {"call"},
	"backed-by-name":          {"-"},
	"signatories-include":     {"signator", "signers", "supporter", "endorser", "member", "part", "support", "backing", "endorsement", "signature"},
	"signed":                  {"sign", "endors", "adher", "rejoin", "subscrib", "name", "affix", "supporter", "member", "participant"},
	"signatories-noun":        {"signator", "signers"},
	"has-members":             {"member", "signator", "part", "supporter"},
	"among-signatories":       {"among", "one of"},
	"member":                  {"member", "signator", "part"},
	"joined":                  {"join"},
	"supports":                {"back", "welcom", "support", "prais", "hail", "applaud", "champion", "vot", "favo", "launch", "unveil", "sponsor", "committed", "founder"},
	"welcome":                 {"welcome"},
}

const joinVerbs = `(?:sign(?:ed)?(?:\s+(?:on|up))?(?:\s+to)?|join|endorse|ratify|accede(?:\s+to)?|adopt|back|support|take\s+part(?:\s+in)?|participate(?:\s+in)?|put\s+(?:its|their)\s+names?\s+to|add\s+(?:its|their)\s+names?(?:\s+to)?|be\s+(?:a\s+)?(?:part|signator(?:y|ies)|member)s?(?:\s+of)?|commit(?:\s+to)?)\b`

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// triggers are tried in order; the first pattern to claim a span of text
// wins, so explicit refusals come before the plain verbs they contain.
var triggers = []trigger{
	// declined: explicit refusals.
	{rule: "declined-to", stance: Declined, explicit: true, confidence: 0.9,
		re: re(`\b(?:declin|refus)(?:ed|es|e|ing)\s+(?:\w+\s+){0,2}?to\s+(?:formally\s+|officially\s+)?` + joinVerbs)},
	{rule: "not-in-position", stance: Declined, explicit: true, confidence: 0.9,
		re: re(`\bnot\s+(?:yet\s+|currently\s+)?(?:be\s+)?(?:in\s+a\s+position|able|prepared|ready|willing)\s+to\s+(?:formally\s+)?` + joinVerbs)},
	{rule: "chose-not-to", stance: Declined, explicit: true, confidence: 0.85,
		re: re(`\b(?:chose|choose|chooses|decided|decides|opted|opts|elected)\s+not\s+to\s+(?:formally\s+)?` + joinVerbs)},
	{rule: "refusal-to", stance: Declined, explicit: true, confidence: 0.75,
		re: re(`\b(?:refusal|decision\s+not|reluctance|unwillingness)\s+(?:\w+\s+){0,3}?to\s+` + joinVerbs)},
	{rule: "stayed-out", stance: Declined, explicit: true, confidence: 0.8,
		re: re(`\b(?:stay(?:ed|s|ing)?|remain(?:ed|s|ing)?|kept|keeps?|sat|sits?)\s+(?:out(?:side)?|away|aloof|on\s+the\s+sidelines)\b`)},
	{rule: "opted-out", stance: Declined, explicit: true, confidence: 0.8,
		re: re(`\bopt(?:ed|s|ing)?\s+out\b`)},
	{rule: "not-yet", stance: Declined, explicit: true, weak: true, confidence: 0.5,
		re: re(`\b(?:ha(?:s|ve)\s+(?:not|n['’]t)\s+(?:yet\s+)?(?:formally\s+)?(?:signed|joined|endorsed|ratified|acceded)|ha(?:s|ve)\s+yet\s+to\s+(?:sign|join|endorse|ratify|accede))\b`)},
	{rule: "did-not-sign", stance: Declined, explicit: true, confidence: 0.8,
		re: re(`\b(?:did\s+not|didn['’]t|does\s+not|doesn['’]t|would\s+not|wouldn['’]t|will\s+not|won['’]t|could\s+not|couldn['’]t|cannot|can['’]t|is\s+not\s+going\s+to|are\s+not\s+going\s+to|never)\s+(?:formally\s+|officially\s+)?(?:sign(?:ed)?(?:\s+(?:on|up))?|join|endorse|ratify|accede)\b`)},
	// withdrew.
	{rule: "withdrew-from", stance: Withdrew, confidence: 0.9,
		re: re(`\b(?:withdr[ae]w|withdrawn|withdraws?|withdrawing|withdrawal)\s+(?:\w+\s+){0,3}?from\b`)},
	{rule: "withdrew-support", stance: Withdrew, confidence: 0.85,
		re: re(`\b(?:withdr[ae]w|withdrawn|withdraws?|withdrawing|revok(?:ed|es|e|ing)|rescind(?:ed|s|ing)?|pull(?:ed|s|ing)?)\s+(?:its|their|his|her)\s+(?:support|signature|backing|endorsement|membership)\b`)},
	{rule: "pulled-out", stance: Withdrew, confidence: 0.9,
		re: re(`\b(?:pull(?:ed|s|ing)?|bow(?:ed|s|ing)?)\s+out\s+of\b`)},
	{rule: "suspended-participation", stance: Withdrew, confidence: 0.85,
		re: re(`\bsuspend(?:ed|s|ing)?\s+(?:its|their|his|her)\s+(?:participation|membership|signature|support)\b`)},
	{rule: "quit", stance: Withdrew, confidence: 0.7, needsObject: true,
		nounUse: re(`(?:\b(?:the|a|an|its|their)|\p{Lu}\w*)\s+$`),
		re:      re(`\b(?:quit(?:s|ting)?|exit(?:ed|s|ing)?|renounc(?:ed|es|ing))\b`)},
	// opposes.
	{rule: "urged-not-to", stance: Opposes, explicit: true, confidence: 0.85,
		re: re(`\b(?:urg|call)(?:ed|es|e|ing|s)?\s+(?:on\s+)?(?:\S+\s+){0,5}?not\s+to\s+(?:sign|ratify|join|adopt|endorse|back|support)\b`)},
	{rule: "urged-to-reject", stance: Opposes, explicit: true, confidence: 0.8,
		re: re(`\b(?:(?:urg|press|lobb(?:i|y)|encourag)(?:ed|es|e|ing|s)?|call(?:ed|s|ing)?\s+(?:on|upon))\s+(?:\S+\s+){0,4}?to\s+(?:\S+\s+){0,1}?(?:reject|oppose|vote\s+(?:against|no)|refuse)\b|\bcall(?:ed|s|ing)?\s+for\s+(?:a\s+)?(?:vote\s+against|(?:its\s+)?rejection)\b`)},
	{rule: "urged-to-join", stance: Supports, explicit: true, objectless: true, confidence: 0.7,
		re: re(`\b(?:(?:urg|press|encourag)(?:ed|es|e|ing)|call(?:ed|s|ing)?\s+(?:on|upon)|appeal(?:ed|s|ing)?\s+to)\s+(?:\S+\s+){0,4}?to\s+(?:\S+\s+){0,2}?(?:sign|ratif\w*|join|endorse|adopt|accede|back|support)\b`)},
	{rule: "warned-that", stance: Opposes, needsObject: true, confidence: 0.6,
		re: re(`\bwarn(?:ed|s|ing)?\s+(?:\w+\s+){0,3}?that\b`)},
	{rule: "voted-against", stance: Opposes, confidence: 0.9,
		re: re(`\bvot(?:ed|es|e|ing)\s+against\b`)},
	{rule: "rejected", stance: Opposes, confidence: 0.8,
		re: re(`\b(?:reject(?:ed|s|ing)?|rejection\s+of|oppos(?:ed|es|e|ing)|opposition\s+to|criticis(?:ed|es|e|ing)|criticiz(?:ed|es|e|ing)|condemn(?:ed|s|ing)?|denounc(?:ed|es|e|ing)|slamm(?:ed|ing)|object(?:ed|s|ing)?\s+(?:\w+\s+){0,2}?to|(?:campaign|lobb(?:i|y)|argu|warn|fight|fought)(?:ed|s|ing|es)?\s+(?:hard\s+|strongly\s+|publicly\s+)?against|dismiss(?:ed|es|ing)|criticism\s+of|attack(?:ed|s|ing)?\s+(?:it|them|the\s+\w+)\s+as)\b`)},
	// undecided.
	{rule: "under-review", stance: Undecided, explicit: true, confidence: 0.7,
		re: re(`\b(?:is|are|remains?|remained|was|were)\s+(?:still\s+)?(?:under\s+(?:review|consideration|study)|being\s+(?:reviewed|studied|considered|examined))\b`)},
	{rule: "weighing", stance: Undecided, explicit: true, confidence: 0.8,
		re: re(`\b(?:(?:is|are|was|were|remains?|remained|still)\s+(?:still\s+)?(?:weighing|considering|reviewing|studying|assessing|examining|evaluating)|continu(?:es|ed|e|ing)\s+to\s+(?:review|study|consider|assess|examine|weigh|evaluate)|ha(?:s|ve|d)\s+not\s+(?:yet\s+)?(?:decided|made\s+up\s+(?:its|their)\s+minds?)|undecided|ha(?:s|ve)\s+yet\s+to\s+decide|ha(?:s|ve|d)\s+not\s+(?:yet\s+)?(?:said|decided|announced|indicated|made\s+clear)\s+whether|(?:is|are|was|were)\s+still\s+looking\s+at|(?:still\s+)?(?:reviewing|studying|considering)\s+(?:the|its|whether))\b`)},
	// ratified: a legislature's approval of a treaty.
	{rule: "legislature-approved", stance: Ratified, needsObject: true, confidence: 0.75,
		re: re(`\b(?:approv(?:ed|es|e|ing)|consent(?:ed|s)?\s+to|gave\s+(?:its\s+)?consent\s+to)\b`)},
	{rule: "party-to", stance: Ratified, objectless: true, confidence: 0.8,
		re: re(`\b(?:is|are|was|were|become|becomes|became|becoming)\s+(?:already\s+|now\s+|officially\s+|also\s+|formally\s+)*(?:a\s+)?(?:state\s+)?part(?:y|ies)\b`)},
	{rule: "ratified", stance: Ratified, joining: true, confidence: 0.9,
		re: re(`\b(?:ratif(?:ied|ies|y|ying|ication\s+of)|acced(?:ed|es|e|ing)\s+to|accession\s+to|became\s+(?:a\s+)?(?:state\s+)?part(?:y|ies)\s+to|deposit(?:ed|s|ing)?\s+(?:its|their)\s+instruments?\s+of\s+(?:ratification|accession))\b`)},
	// supports: joining a consensus is not signing.
	{rule: "joined-consensus", stance: Supports, confidence: 0.75,
		re: re(`\bjoin(?:ed|s|ing)?\s+(?:the\s+|a\s+)?consensus\b`)},
	{rule: "sponsors-include", stance: Supports, listRight: true, confidence: 0.75,
		re: re(`\b(?:co-?sponsors|sponsors|backers)\s+(?:of\s+(?:the\s+)?(?:\S+\s+){0,4}?)?(?:include|included|including|are|were)\b`)},
	{rule: "launched-by", stance: Supports, listRight: true, confidence: 0.65,
		re: re(`\b(?:launched|initiated|championed|sponsored|spearheaded|founded|conceived)\s+(?:\S+\s+){0,3}?by\b`)},
	{rule: "praise", stance: Supports, confidence: 0.6,
		re: re(`\bcall(?:ed|ing|s)?\s+it\s+(?:a|an)\s+(?:\w+\s+)?(?:landmark|milestone|breakthrough|historic|important|major|significant|good|welcome|vital|crucial)\b`)},
	{rule: "backed-by-name", stance: Supports, confidence: 0.7, needsObject: true,
		re: re(`-(?:backed|drafted|sponsored|proposed|led|championed|initiated)\b`)},
	// signed.
	{rule: "signatories-include", stance: Signed, listRight: true, confidence: 0.85,
		re: re(`\b(?:signatories|signers|supporters|endorsers|members|parties|participants)\s+(?:of\s+(?:the\s+)?(?:\S+\s+){0,5}?)?(?:include|included|including|are|were|such\s+as)\b|\b(?:received|won|gained|secured|attracted|has|had)\s+(?:already\s+)?(?:received\s+)?(?:the\s+)?(?:support|backing|endorsement|signatures?)\s+of\b`)},
	{rule: "signed", stance: Signed, joining: true, confidence: 0.85,
		nounUse:   re(`\b(?:the|a|an|its|their|this|formal|official|no|any|every|clear|first|hosts?|hosted|hosting|attend(?:s|ed|ing)?)\s+$`),
		nounAfter: re(`^\s+(?:of|that|ceremony|ceremonies|table|event|date|calendar|period|deadline|process)\b`),
		re:        re(`\b(?:sign(?:ed|s|ing)?(?:\s+(?:on|up))?(?:\s+to)?|endors(?:ed|es|e|ing)|adher(?:ed|es|e|ing)\s+to|rejoin(?:ed|s|ing)?|subscrib(?:ed|es|e)\s+to|put\s+(?:its|their)\s+names?\s+to|add(?:ed|s|ing)?\s+(?:its|their|his|her)\s+(?:names?|signatures?)|affix(?:ed|es|ing)?\s+(?:(?:its|their)\s+)?signatures?|put\s+(?:its|their)\s+signatures?\s+to|became\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:signator(?:y|ies)|supporters?|members?|participants?))\b`)},
	{rule: "signatories-noun", stance: Signed, objectless: true, confidence: 0.7,
		re: re(`\b(?:the|as)\s+(?:main\s+|first\s+|original\s+|founding\s+|latest\s+|newest\s+|only\s+|new\s+)?(?:signatories|signers)\b`)},
	{rule: "has-members", stance: Signed, listRight: true, confidence: 0.75,
		re: re(`\b(?:has|have|had|counts?|counted|now\s+has)\s+(?:\S+\s+){0,3}?(?:members|signatories|parties|supporters)\s*:`)},
	{rule: "among-signatories", stance: Signed, objectless: true, confidence: 0.8,
		re: re(`\b(?:is|are|was|were)\s+(?:also\s+)?(?:among|one\s+of)\s+(?:the\s+)?(?:\w+\s+)?(?:signatories|signatory\s+states|supporters|members)\b`)},
	{rule: "member", stance: Signed, objectless: true, confidence: 0.75,
		re: re(`\b(?:is|are|was|were|remains?|remained)\s+(?:still\s+|already\s+|now\s+|also\s+)*(?:(?:a|an)\s+(?:founding\s+|full\s+|original\s+)?(?:member|signatory|party)|(?:founding\s+|full\s+)?members|signatories)\b`)},
	{rule: "joined", stance: Signed, joining: true, confidence: 0.8,
		re: re(`\bjoin(?:ed|s|ing)?\b`)},
	// supports.
	{rule: "supports", stance: Supports, confidence: 0.7, needsObject: true,
		re: re(`\b(?:back(?:ed|s|ing)?|welcom(?:ed|es|e|ing)|support(?:ed|s|ing)?|prais(?:ed|es|e|ing)|hail(?:ed|s|ing)?|applaud(?:ed|s|ing)?|champion(?:ed|s|ing)?|voted\s+(?:for|in\s+favou?r\s+of)|in\s+favou?r\s+of|launch(?:ed|es|ing)?|unveil(?:ed|s|ing)?|(?:co-?)?sponsor(?:ed|s|ing)|(?:remains?|remained|is|are|stays?)\s+committed\s+(?:to|as)|co-?founders?)\b`)},
	{rule: "welcome", stance: Supports, confidence: 0.6,
		re: re(`\b(?:is|are|was|were)\s+(?:a\s+)?welcome\b`)},
}

// Modal and hedge words before a trigger that make it a non-event.
var hedgeRe = re(`\b(?:may|might|could|should|ought\s+to|expected\s+to|likely\s+to|set\s+to|poised\s+to|plans?\s+to|planning\s+to|intends?\s+to|intending\s+to|hopes?\s+to|hoping\s+to|wants?\s+to|aims?\s+to|seeks?\s+to|seeking\s+to|considering\s+whether\s+to|whether\s+to|ready\s+to|prepared\s+to|willing\s+to|invited\s+to|asked\s+to|urged\s+\S+(?:\s+\S+){0,3}\s+to|pressed\s+\S+(?:\s+\S+){0,3}\s+to|encouraged\s+\S+(?:\s+\S+){0,3}\s+to|called\s+on\s+\S+(?:\s+\S+){0,3}\s+to|pressure\s+to|if|unless|would\s+consider|could\s+soon|soon\s+to|about\s+to|to\s+be\s+asked|will|would|shall|going\s+to)\s+(?:\S+\s+){0,2}$`)

// Reporting of a decision: "announced that X would join" is a stance.
var reportedDecisionRe = re(`\b(?:announced|confirmed|declared|decided|said|says|agreed|pledged|promised)\s+(?:on\s+\w+\s+)?(?:that\s+)?`)

// Negation just before a trigger.
var negationRe = re(`(?:\bnot|n['’]t|\bnever|no\s+longer|without|nor|neither|lack\s+of|absence\s+of|yet\s+to|failed\s+to|refus\w*\s+to|declin\w*\s+to|has\s+no\s+plans?\s+to|no\s+plans?\s+to|denied|denies|deny)\s+(?:[^\s,;:]+\s+){0,2}$`)

// Denials of reports make the clause a non-event ("denied reports it would withdraw").
var denialRe = re(`\b(?:den(?:ied|ies|y)|dismiss(?:ed|es)|rejected|rebuffed|played\s+down)\s+(?:\S+\s+){0,3}?(?:reports?|rumou?rs?|claims?|speculation|suggestions?)\b`)

// Past markers that make a stance historical when the article holds a newer one.
var pastRe = re(`\b(?:had\s+(?:\w+\s+)?(?:declined|refused|signed|joined|rejected|opposed|withdrawn|stayed|kept|endorsed|ratified|backed|supported|welcomed|voted)|previous\s+administration|previous\s+government|predecessors?|previously|formerly|earlier|originally|at\s+the\s+time|back\s+in|in\s+(?:19|20)\d\d|last\s+(?:year|month|november|december|january|february|march|april|may|june|july|august|september|october)|(?:two|three|four|five|six|several|\d+)\s+years?\s+(?:ago|earlier|late)|predecessor|then-|the\s+trump\s+administration|the\s+obama\s+administration|first\s+time)\b`)

// Clause boundaries for the subject search.
var boundaryRe = re(`(?:;|:|\s—\s|\s–\s|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bafter\b|\bbefore\b|\bbecause\b|\bwhich\b|\bwho\b|\bwhen\b|\bwhere\b|\bunlike\b|\bdespite\b)`)

// List glue between actor mentions of one subject list.
var glueRe = re(`^(?:\s|,|\band\b|\bor\b|\bas\s+well\s+as\b|\bplus\b|\bthe\b|\btogether\s+with\b|\balong\s+with\b|\balongside\b|\bgovernments?\s+of\b|\bboth\b|\beither\b|\bneither\b|\bnor\b|'s|’s)*$`)

// Pronouns that stand for an actor named before.
var pronounRe = re(`(?:^|\s)(?:it|they|we|i|he|she|both|the\s+(?:country|government|administration|bloc|company|firm|group|organi[sz]ation|union|kingdom|state|nation|ministry))\s+(?:\S+\s+){0,5}$`)

// First-person pronouns inside a quote stand for the speaker's actor.
var firstPersonRe = re(`(?:^|[\s“"])(?:we|i|our\s+(?:government|country|company|organi[sz]ation))\s+(?:\S+\s+){0,4}$`)

// Words that may stand as the object of a stance verb for the article's accord.
var objectRefRe = re(`^\s*(?:(?:on|up|to|on\s+to|onto|from|of|in|with|out\s+of|against|for)\s+)?(?:(?:(?:the|this|that|its|a|an|their|his|her|our)\s+)?(?:[\w’'-]+\s+){0,3}?(?:call|pledge|declaration|accord|pact|treaty|convention|agreement|initiative|process|document|code|statement|text|charter|principles|norms|framework|deal|commitments?|effort|instrument|resolution|report|draft|proposal|plan|protocol|talks|negotiations|outcome)\b|(?:it|them)\b|(?:this|that)\s*(?:[,.;:”"]|$))`)

// Generic objects that end a trigger's clause with nothing more: "signed on Tuesday."
var bareObjectRe = re(`^\s*(?:(?:on|up|as\s+well|too|in\s+\w+|at\s+\w+|on\s+\w+day|this\s+week|last\s+week|later|yesterday|today|also)\b[\s,]*)*(?:[.,;”"]|$)`)

// Uncertainty about the event itself: "it is not clear whether X will sign".
var uncertainRe = re(`\b(?:not\s+clear|unclear|uncertain|remains\s+to\s+be\s+seen|speculat\w+|rumou?r\w*|whether|doubt\w*|question\s+of)\b`)

// Verbs with no object after them ("signed for the industry", "joined in
// 2020", "added its name on Monday") take the accord in focus.
var intransitiveRe = re(`^\s*(?:[,.;:)”"—–-]|$|(?:on|in|at|for|with|alongside|along|as|too|during|after|before|over|this|last|early|late|later|yesterday|today|also|first|together|up|since|by|under|when|while|but|and)\b)`)
