package stance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTriggerStems checks that every match of every trigger pattern holds
// one of its rule's stems, so the cheap test never hides a match. It runs
// over sentences written for the test and, when present, the corpus.
func TestTriggerStems(t *testing.T) {
	texts := []string{
		"Italy has not said whether it will join. Peru declined to formally sign. Japan is not in a position to endorse it.",
		"Chile chose not to sign; Kenya refused to back it. The decision not to join stood. Spain stayed out and opted out.",
		"Mexico has yet to sign. Norway did not sign, won't join and never ratified. Ghana withdrew its support and pulled out of it.",
		"Peru suspended its participation and quit. Groups urged states not to ratify and pressed governments to reject it.",
		"France called on the bloc to sign. The EFF warned that it would harm. Cuba voted against, rejected and criticised it.",
		"The text is still under review. Brazil is weighing it, continues to review it and remains undecided; it has not decided.",
		"The Senate approved the treaty. Brazil became a party to it, ratified it, acceded to it and deposited its instrument of ratification.",
		"Russia joined the consensus. Its co-sponsors included Cuba. It was launched by Microsoft. They called it a landmark deal.",
		"A Russian-backed resolution. Signatories include Chile. It has received the support of 50 states. Spain signed on to it, endorsed it, added its name.",
		"Japan and Ghana were the main signatories. It now has 40 members: Peru. Peru is among the signatories and is a member. Peru joined.",
		"Kenya backed, welcomed, supported, praised, hailed and applauded it, voted in favour of it and remains committed to it. It is welcome.",
	}
	if paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "articles", "*.txt")); len(paths) > 0 {
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	checked := map[string]int{}
	for _, text := range texts {
		for i := range triggers {
			tr := &triggers[i]
			for _, loc := range tr.re.FindAllStringIndex(text, -1) {
				checked[tr.rule]++
				m := strings.ToLower(text[loc[0]:loc[1]])
				if !tr.mayMatch(m) {
					t.Errorf("rule %s matched %q, which holds none of its stems %q", tr.rule, m, triggerStems[tr.rule])
				}
			}
		}
	}
	for _, tr := range triggers {
		if checked[tr.rule] == 0 {
			t.Errorf("rule %s never matched: add a sentence for it", tr.rule)
		}
	}
}
