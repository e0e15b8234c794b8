package analysis

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/extractors/catalog"
)

func analyzer(t *testing.T) *Analyzer {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return New(cat)
}

// stances returns "ACTOR accord stance" (with " (historical)") for each stance.
func stances(t *testing.T, a *Analyzer, text string, published string) []string {
	t.Helper()
	doc := Document{Text: text}
	if published != "" {
		p, err := time.Parse("2006-01-02", published)
		if err != nil {
			t.Fatal(err)
		}
		doc.Published = p
	}
	res, err := a.Analyze(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range res.Stances {
		v := s.Actor + " " + s.Accord + " " + s.Stance
		if s.Historical {
			v += " (historical)"
		}
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// TestStanceRules checks each class of stance rule on sentences written for
// this test: lists, metonyms, negation, hedges, denials, look-alikes,
// passives, quotes and time.
func TestStanceRules(t *testing.T) {
	a := analyzer(t)
	for _, tc := range []struct {
		name, text, published string
		want                  []string
	}{
		{"list and metonym",
			"Pact news\n\nGermany, Chile and the Kremlin signed the Pall Mall Process code on Monday.", "",
			[]string{"CHL pall-mall-process signed", "DEU pall-mall-process signed", "RUS pall-mall-process signed"}},
		{"explicit refusal",
			"Refusal\n\nThe United States declined to sign the Christchurch Call on Wednesday.", "",
			[]string{"USA christchurch-call declined"}},
		{"negated signing is a refusal",
			"Refusal\n\nJapan did not sign the Paris Call at the Paris forum.", "",
			[]string{"JPN paris-call declined"}},
		{"negated joining is a refusal",
			"Refusal\n\nItaly has not joined the Christchurch Call, officials said.", "",
			[]string{"ITA christchurch-call declined"}},
		{"a place is not the subject",
			"Accession\n\nThe Brazilian government, meeting in Strasbourg, France, ratified the Budapest Convention.", "",
			[]string{"BRA budapest-convention ratified"}},
		{"negated rejection is nothing",
			"Nothing\n\nIndia did not reject the Budapest Convention outright.", "",
			nil},
		{"hedge is nothing",
			"Maybe\n\nCanada is expected to join the Counter Ransomware Initiative next year.", "",
			nil},
		{"uncertainty is nothing",
			"Maybe\n\nIt is not clear whether Kenya will sign the Paris Call.", "",
			nil},
		{"denial of withdrawal is nothing",
			"Denial\n\nNew Zealand denied reports that it would withdraw from the Christchurch Call.", "",
			nil},
		{"withdrawal",
			"Exit\n\nPoland withdrew from the Declaration for the Future of the Internet on Friday.", "",
			[]string{"POL future-of-internet-declaration withdrew"}},
		{"look-alike is no accord",
			"Climate\n\nFrance signed the Paris Agreement in 2016.", "",
			nil},
		{"passive by-list, not the place before",
			"Code\n\nThe code, agreed in London, was endorsed by Ghana and Kenya on Monday.\n\nThe Pall Mall Process continues.", "",
			[]string{"GHA pall-mall-process signed", "KEN pall-mall-process signed"}},
		{"generic reference to the main accord",
			"Spain joins the Paris Call\n\nThe Paris Call for Trust and Security in Cyberspace gained a supporter. Spain signed the declaration on Tuesday.", "",
			[]string{"ESP paris-call signed"}},
		{"joined a list in signing",
			"Pact\n\nThe UK and the EU joined China, Russia and Brazil in signing the UN Convention against Cybercrime.", "",
			[]string{"BRA un-cybercrime-convention signed", "CHN un-cybercrime-convention signed", "EU un-cybercrime-convention signed", "GBR un-cybercrime-convention signed", "RUS un-cybercrime-convention signed"}},
		{"stance inside a quote goes to the speaker's state",
			"Quote\n\n“We are not in a position to endorse the Pall Mall Process at this time,” a Brazilian foreign ministry spokesperson said.", "",
			[]string{"BRA pall-mall-process declined"}},
		{"earlier refusal becomes historical",
			"Reversal\n\nMexico signed the Paris Call on Thursday. Mexico had declined to sign the Paris Call in 2018.", "2021-11-10",
			[]string{"MEX paris-call declined (historical)", "MEX paris-call signed"}},
		{"unrelated article has no stance",
			"Rugby\n\nThe Crusaders signed a new coach and joined the league's top table after beating the Chiefs.", "",
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := stances(t, a, tc.text, tc.published)
			if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("stances = %q\nwant       %q", got, tc.want)
			}
		})
	}
}

// TestOffsetsAreCharacters checks that quote offsets count characters, not
// bytes, in text with multi-byte characters before the quote.
func TestOffsetsAreCharacters(t *testing.T) {
	text := "Émile’s café\n\nIn Brasília, “The code protects everyone,” said Foreign Minister João Pereira."
	res, err := analyzer(t).Analyze(context.Background(), Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Quotes) != 1 {
		t.Fatalf("quotes = %+v", res.Quotes)
	}
	q := res.Quotes[0]
	r := []rune(text)
	if got := string(r[q.Start:q.End]); !strings.HasPrefix(got, "The code protects everyone") {
		t.Errorf("text[%d:%d] = %q", q.Start, q.End, got)
	}
	if q.Speaker != "João Pereira" {
		t.Errorf("speaker = %q", q.Speaker)
	}
}
