package stance

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lists of actors are read word by word: between two actor mentions only
// list glue ("and", commas, "as well as"), quantified heads ("21 States,
// including", "dozens of other governments") and unknown names may stand.
// A verb, a clause boundary or a long gap ends the list.

// listStopRe matches words that end a list: verbs and clause openers.
var listStopRe = regexp.MustCompile(`(?i)^(?:is|are|was|were|be|been|being|has|have|had|will|would|shall|should|can|could|may|might|must|did|does|do|not|said|says|say|told|tells|but|while|which|who|whom|whose|that|because|although|though|after|before|when|where|if|unless|whereas|despite|so|then|also|what|how|why|signed|joined|endorsed|ratified|declined|refused|rejected|welcomed|backed|adopted|agreed|approved|urged|warned|called|its|their|his|her|it|they|we|he|she)$`)

// listHeadRe matches the inclusion markers after which the items of a
// quantified head follow: "more than 50 States, among them", "countries
// including", "governments such as".
var listHeadRe = regexp.MustCompile(`(?i)(?:\bincluding\b|\bincluded\b|\binclude\b|\bincludes\b|\bamong\s+them\b|\bsuch\s+as\b|\bnotably\b|\bnamely\b|:|\s[—–]\s?|\([^)]*$)`)

// listGapWords is the number of non-actor words allowed between two items.
const listGapWords = 7

// listAfter returns the actors of the list that starts at pos, reading
// forward to end.
func listAfter(in Input, ms []Mention, pos, end int) []string {
	var acts []string
	seen := map[string]bool{}
	last := pos
	started := false
	for _, m := range ms {
		if m.Start < last || m.End > end || m.Actor == "" {
			continue
		}
		gap := in.Text[last:m.Start]
		if !listGap(gap, started) {
			break
		}
		if !seen[m.Actor] {
			seen[m.Actor] = true
			acts = append(acts, m.Actor)
		}
		last = m.End
		started = true
	}
	return acts
}

// listGap reports whether gap may separate two list items (or, when the
// list has not started, lead to the first one).
func listGap(gap string, started bool) bool {
	if strings.ContainsAny(gap, ";!?") {
		return false
	}
	if !started {
		// a quantified head: "by 21 States, including"; "of more than 50
		// States and of some 250 companies …, among them".
		if loc := lastIndex(listHeadRe, gap); loc >= 0 {
			head, rest := gap[:loc], gap[loc:]
			if len(strings.Fields(head)) <= 25 && !hasStopWord(head) && gapWords(rest) <= 2 {
				return true
			}
		}
	}
	if hasStopWord(gap) || commaPrepRe.MatchString(gap) {
		return false
	}
	return gapWords(gap) <= listGapWords
}

func lastIndex(re *regexp.Regexp, s string) int {
	locs := re.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return -1
	}
	return locs[len(locs)-1][0]
}

// gapWords counts the words of a gap that are not list glue.
func gapWords(gap string) int {
	n := 0
	for _, w := range words(gap) {
		if !isGlue(w) {
			n++
		}
	}
	return n
}

func hasStopWord(gap string) bool {
	for _, w := range words(gap) {
		if listStopRe.MatchString(w) {
			return true
		}
	}
	return false
}

var glueWords = map[string]bool{
	"and": true, "or": true, "the": true, "as": true, "well": true, "plus": true, "along": true,
	"with": true, "alongside": true, "together": true, "both": true, "either": true, "neither": true,
	"nor": true, "of": true, "including": true, "among": true, "them": true, "such": true,
	"notably": true, "namely": true, "s": true,
}

func isGlue(w string) bool { return glueWords[strings.ToLower(w)] }

// words splits s into words of letters, digits, hyphens and apostrophes.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’')
	})
}

// capitalised reports whether w starts with an upper-case letter.
func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// leftGap reports whether gap may separate two items of a subject list read
// leftwards from a verb: list glue and unknown names only.
func leftGap(gap string) bool {
	if strings.ContainsAny(gap, ";:!?()") {
		return false
	}
	n := 0
	for _, w := range words(gap) {
		switch {
		case isGlue(w):
		case capitalised(w) && !listStopRe.MatchString(w) && !prepRe.MatchString(w):
			n++
		default:
			return false
		}
	}
	return n <= 4
}

// commaPrepRe matches a comma followed by a preposition, which closes a
// list and opens an adjunct (", in what U.N. officials described as").
var commaPrepRe = regexp.MustCompile(`(?i),\s*(?:in|at|on|during|after|before|for|from|under|with|without|to|into)\s`)

var prepRe = regexp.MustCompile(`(?i)^(?:in|at|on|for|from|by|during|since|under|over|to|into|against|near|outside|inside|across|via|like|unlike)$`)
