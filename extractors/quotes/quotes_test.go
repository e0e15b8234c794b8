package quotes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// want is one expected quotation: its text prefix and speaker.
type want struct {
	prefix, speaker string
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []want
	}{
		{
			name: "post-said",
			text: "Talks stalled on Monday.\n\n“We are not there yet,” Lena Harris said.",
			want: []want{{"We are not there yet", "Lena Harris"}},
		},
		{
			name: "said-first with relative clause",
			text: "\"The draft is weak,\" said Omar Bello, who chairs the panel.",
			want: []want{{"The draft is weak", "Omar Bello"}},
		},
		{
			name: "appositive and told",
			text: "Lena Harris spoke first.\n\n\"We will sign,\" Harris, the foreign minister, told Reuters.",
			want: []want{{"We will sign", "Lena Harris"}},
		},
		{
			name: "full name appears later",
			text: "“It is late,” Okoro said.\n\nThe envoy, Adaeze Okoro, left early.",
			want: []want{{"It is late", "Adaeze Okoro"}},
		},
		{
			name: "title stripped",
			text: "“The rules apply to all,” Brazilian Foreign Minister Carla Mendes said on Friday.",
			want: []want{{"The rules apply to all", "Carla Mendes"}},
		},
		{
			name: "pre-colon",
			text: "Jan de Vries was blunt. Later De Vries agreed: “There is no deal on the table.”",
			want: []want{{"There is no deal on the table", "Jan de Vries"}},
		},
		{
			name: "pre said that",
			text: "Mara Ionescu said that \"no country can do this alone\" and left the room.",
			want: []want{{"no country can do this alone", "Mara Ionescu"}},
		},
		{
			name: "split quote is one quote",
			text: "“The text is final,” she said, “and we will defend it.”\n\nNo one else spoke.",
			want: []want{{"The text is final and we will defend it", ""}},
		},
		{
			name: "split across sentences",
			text: "Piotr Nowak spoke to reporters. \"We signed,\" Nowak said. \"We will ratify next year.\"",
			want: []want{{"We signed We will ratify", "Piotr Nowak"}},
		},
		{
			name: "multi-paragraph quote",
			text: "Hana Sato opened the meeting.\n\n“This is the first step.\n\n“The next one is harder,” Sato said.",
			want: []want{{"This is the first step. The next one is harder", "Hana Sato"}},
		},
		{
			name: "pronoun",
			text: "Deputy Minister Tomas Ruiz defended the plan on Tuesday.\n\n“It protects everyone,” he added.",
			want: []want{{"It protects everyone", "Tomas Ruiz"}},
		},
		{
			name: "according to",
			text: "\"The vote will be close,\" according to Priya Raman, a senior analyst.",
			want: []want{{"The vote will be close", "Priya Raman"}},
		},
		{
			name: "told outlet with role",
			text: "“Nobody expected this,” Ali Hassan, an expert in maritime law, told the Herald.",
			want: []want{{"Nobody expected this", "Ali Hassan"}},
		},
		{
			name: "unnamed spokesperson tied to organisation",
			text: "The Treasury told the paper that it was reviewing the pact.\n\n“We take these concerns seriously,” a spokesperson said.",
			want: []want{{"We take these concerns seriously", "Treasury spokesperson"}},
		},
		{
			name: "indefinite then definite description",
			text: "A European negotiator who attended the talks described the mood as tense. “Everyone was tired,” the negotiator said.",
			want: []want{{"Everyone was tired", "European negotiator"}},
		},
		{
			name: "the foundation resolves to its full name",
			text: "The Open Rights Foundation, a London charity, objected.\n\n\"This goes too far,\" the foundation said in a statement.",
			want: []want{{"This goes too far", "Open Rights Foundation"}},
		},
		{
			name: "description with complement",
			text: "“We were not consulted,” said a delegate of the Pacific Islands Forum who asked not to be named.",
			want: []want{{"We were not consulted", "delegate of the Pacific Islands Forum"}},
		},
		{
			name: "nested single quotes",
			text: "“They called it ‘a historic day’ but nothing changed,” said Rosa Lima.",
			want: []want{{"They called it ‘a historic day’ but", "Rosa Lima"}},
		},
		{
			name: "diacritics and particles",
			text: "“Cooperation is the only way,” said Secretary-General José António da Costa.",
			want: []want{{"Cooperation is the only way", "José António da Costa"}},
		},
		{
			name: "pull-quote repeat reported once",
			text: "Headline\n\n“Trust has to be earned.”\n\nThe minister spoke at length.\n\n“Trust has to be earned. We will earn it,” Greta Lund said.",
			want: []want{{"Trust has to be earned. We will earn it", "Greta Lund"}},
		},
		{
			name: "standalone continuation paragraph",
			text: "“We will keep going,” Greta Lund said.\n\n“The work is far from over, and every partner knows it.”",
			want: []want{{"We will keep going", "Greta Lund"}, {"The work is far from over", "Greta Lund"}},
		},
		{
			name: "scare quotes, titles and headings are not quotes",
			text: "“Bad deal”\n\nThe plan, titled \"Securing the future of our digital commons together,\" passed. " +
				"Critics mocked Smith’s new “digital shield” for banks and the so-called “Global Cyber Compact”. " +
				"Officials say an \"open door\" policy remains.",
			want: nil,
		},
		{
			name: "quoted document wording without speaker is kept unattributed",
			text: "The pact asks members to refrain from “attacks on the public core of the internet in peacetime”.",
			want: []want{{"attacks on the public core", ""}},
		},
		{
			name: "organisation speaker",
			text: "“We condemn the attack,” the Foreign Ministry said.",
			want: []want{{"We condemn the attack", "Foreign Ministry"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text, nil)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				q := got[i]
				if !strings.HasPrefix(q.Text, w.prefix) {
					t.Errorf("quote %d text = %q, want prefix %q", i, q.Text, w.prefix)
				}
				if w.speaker != "" && q.Speaker != w.speaker {
					t.Errorf("quote %d speaker = %q (%s), want %q", i, q.Speaker, q.Evidence, w.speaker)
				}
				checkOffsets(t, tt.text, q)
			}
		})
	}
}

// checkOffsets asserts that Start and End are exact byte offsets: the input
// at Start begins the quote's first words and at End ends its last words.
func checkOffsets(t *testing.T, text string, q Quote) {
	t.Helper()
	if q.Start < 0 || q.End > len(text) || q.Start >= q.End {
		t.Fatalf("bad offsets %d..%d", q.Start, q.End)
	}
	firstWord := strings.Fields(q.Text)[0]
	if !strings.HasPrefix(text[q.Start:], firstWord) {
		t.Errorf("text[Start:] = %q, want it to begin with %q", trunc(text[q.Start:]), firstWord)
	}
	f := strings.Fields(q.Text)
	lastWord := strings.TrimRight(f[len(f)-1], ",")
	if !strings.HasSuffix(strings.TrimRight(text[:q.End], ","), lastWord) {
		t.Errorf("text[:End] ends %q, want it to end with %q", text[max(0, q.End-20):q.End], lastWord)
	}
}

func TestSplitQuoteSpeakerFromPronoun(t *testing.T) {
	text := "Nadia Karim addressed the assembly.\n\n“The text is final,” she said, “and we will defend it.”"
	got := Extract(text, nil)
	if len(got) != 1 {
		t.Fatalf("got %d quotes: %+v", len(got), got)
	}
	if got[0].Speaker != "Nadia Karim" || got[0].Evidence != "pronoun" {
		t.Errorf("speaker %q evidence %q", got[0].Speaker, got[0].Evidence)
	}
	if got[0].Text != "The text is final and we will defend it." {
		t.Errorf("text %q", got[0].Text)
	}
}

// mapResolver is a test Resolver keyed by substrings of the phrase.
type mapResolver map[string]string

func (m mapResolver) SpeakerActor(phrase string) string {
	for k, v := range m {
		if strings.Contains(phrase, k) {
			return v
		}
	}
	return ""
}

func TestResolverGetsRoleAndName(t *testing.T) {
	text := "“The rules apply to all,” Brazilian Foreign Minister Carla Mendes said."
	got := Extract(text, mapResolver{"Brazilian Foreign Minister Carla": "BRA"})
	if len(got) != 1 || got[0].Actor != "BRA" || got[0].SpeakerRole != "Brazilian Foreign Minister" {
		t.Fatalf("got %+v", got)
	}
}

func TestSeedArticle(t *testing.T) {
	dir := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "..", "seed", "vice-2018-11-16-paris-call.txt"))
	if err != nil {
		t.Skip("seed article not available: ", err)
	}
	got := Extract(string(b), nil)
	wants := []want{
		{"A good rule of thumb", "Peter Singer"},
		{"Purely as a diplomatic move", "Michael Carpenter"},
		{"not in a position to endorse", "State Department"},
		{"We continue to support", "State Department spokesperson"},
		{"It's not clear that they won't", "Paul Triolo"},
		{"This is yet another damaging", "Nate Jones"},
		{"The problem is that so many threats", "Peter Singer"},
		{"The language in the document", "Jake Williams"},
		{"There is nothing binding here", "Paul Triolo"},
		{"Points to France for trying", "Mikko Hypponen"},
	}
	for _, w := range wants {
		n := 0
		for _, q := range got {
			if strings.HasPrefix(fold(q.Text), fold(w.prefix)) {
				n++
				if q.Speaker != w.speaker {
					t.Errorf("%q: speaker %q (%s), want %q", w.prefix, q.Speaker, q.Evidence, w.speaker)
				}
				checkOffsets(t, string(b), q)
			}
		}
		if n != 1 {
			t.Errorf("%q reported %d times, want once", w.prefix, n)
		}
	}
	// The pull-quotes repeat body quotes and must not be reported twice.
	for _, q := range got {
		if strings.HasPrefix(q.Text, "There is a lot of turmoil") {
			t.Errorf("pull-quote reported: %q", q.Text)
		}
		if q.Text == "Bad company" || q.Text == "arms control" || q.Text == "America First" {
			t.Errorf("scare quote or heading reported: %q", q.Text)
		}
	}
}
