package catalog

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// brief renders a match as "ID:Kind:Text"; lookalikes as "~ID:Text".
func brief(m Match) string {
	if m.Target == TargetLookalike {
		return "~" + m.ID + ":" + m.Text
	}
	return m.ID + ":" + string(m.Kind) + ":" + m.Text
}

func briefs(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = brief(m)
	}
	return out
}

func TestFind(t *testing.T) {
	c := defaultCatalog(t)
	tests := []struct {
		text string
		want []string
	}{
		{"Washington and the Kremlin traded barbs while Downing Street stayed quiet.",
			[]string{"USA:metonym:Washington", "RUS:metonym:Kremlin", "GBR:metonym:Downing Street"}},
		{"The Kremlin said nothing.", []string{"RUS:metonym:Kremlin"}},
		{"Kremlin officials declined to comment.", []string{"RUS:metonym:Kremlin"}},
		{"The U.S. and the US both signed; let us plug in the USB stick on the bus.",
			[]string{"USA:name:U.S.", "USA:name:US"}},
		{"the UK and the EU joined China, Russia and Brazil",
			[]string{"GBR:name:UK", "EU:name:EU", "CHN:name:China", "RUS:name:Russia", "BRA:name:Brazil"}},
		{"un accord, us and eu in lower case are not names.", nil},
		{"France launched the Paris Call in Paris.",
			[]string{"FRA:name:France", "paris-call:alias:Paris Call", "FRA:metonym:Paris"}},
		{"Leaders signed the Paris Call for Trust and Security in Cyberspace.",
			[]string{"paris-call:alias:Paris Call for Trust and Security in Cyberspace"}},
		{"It is not the Paris Agreement on climate.", []string{"~paris-call:Paris Agreement"}},
		{"Do not confuse it with the Budapest Memorandum.", []string{"~budapest-convention:Budapest Memorandum"}},
		{"Brazil acceded to the Budapest Convention.",
			[]string{"BRA:name:Brazil", "budapest-convention:alias:Budapest Convention"}},
		{"After the Christchurch mosque attacks, New Zealand led the Christchurch Call.",
			[]string{"~christchurch-call:Christchurch mosque attacks", "NZL:name:New Zealand", "christchurch-call:alias:Christchurch Call"}},
		{"The Christchurch Call Foundation said the Call is working.",
			[]string{"christchurch-call-foundation:name:Christchurch Call Foundation", ":ref:the Call"}},
		{"Dozens of states signed the Hanoi Convention in Hanoi.",
			[]string{"un-cybercrime-convention:alias:Hanoi Convention", "VNM:metonym:Hanoi"}},
		{"Russia’s envoy and Russia's foreign minister spoke.",
			[]string{"RUS:name:Russia", "RUS:name:Russia"}},
		{"Microsoft President Brad Smith praised it.", []string{"microsoft:role:Microsoft President"}},
		{"Microsoft's Brad Smith praised it.", []string{"microsoft:name:Microsoft"}},
		{"The treaty was opened for signature; the convention enters into force later.",
			[]string{":ref:The treaty", ":ref:the convention"}},
		{"The Code of Practice was agreed at the Pall Mall Process meeting.",
			[]string{"pall-mall-process:ref:The Code of Practice", "pall-mall-process:alias:Pall Mall Process"}},
		{"Members of the Counter-Ransomware Initiative met; CRI members pledged.",
			[]string{"counter-ransomware-initiative:alias:Counter-Ransomware Initiative", "counter-ransomware-initiative:alias:CRI"}},
		{"The OEWG final report reaffirmed the norms of responsible state behaviour.",
			[]string{"un-cyber-norms:alias:OEWG final report", "un-cyber-norms:alias:norms of responsible state behaviour"}},
		{"Côte d’Ivoire and Ivory Coast; Türkiye alias Turkiye alias Turkey.",
			[]string{"CIV:name:Côte d’Ivoire", "CIV:name:Ivory Coast", "TUR:name:Türkiye", "TUR:name:Turkiye", "TUR:name:Turkey"}},
		{"The Élysée and the Elysee Palace agreed.",
			[]string{"FRA:metonym:Élysée", "FRA:metonym:Elysee Palace"}},
		{"Guinea-Bissau, Guinea Bissau, Papua New Guinea and Guinea.",
			[]string{"GNB:name:Guinea-Bissau", "GNB:name:Guinea Bissau", "PNG:name:Papua New Guinea", "GIN:name:Guinea"}},
		{"The State Department and the Pentagon briefed the Senate.",
			[]string{"USA:body:State Department", "USA:body:Pentagon", "USA:body:Senate"}},
		{"The U.S. State Department said so.", []string{"USA:name:U.S.", "USA:body:State Department"}},
		{"Latin American states and the Washington Post reported it.",
			[]string{"~USA:Latin American", "~USA:Washington Post"}},
		{"The Democratic People's Republic of Korea, the DPRK and South Korea.",
			[]string{"PRK:name:Democratic People's Republic of Korea", "PRK:name:DPRK", "KOR:name:South Korea"}},
		{"The People’s Republic of China and Taiwan.",
			[]string{"CHN:name:People’s Republic of China", "TWN:name:Taiwan"}},
		{"The Cybersecurity Tech Accord was signed by 34 firms.",
			[]string{"tech-accord:alias:Cybersecurity Tech Accord"}},
		{"Vietnam, Viet Nam and the Vietnamese hosts.",
			[]string{"VNM:name:Vietnam", "VNM:name:Viet Nam", "VNM:demonym:Vietnamese"}},
		{"Holy See, Palestine, Kosovo.",
			[]string{"VAT:name:Holy See", "PSE:name:Palestine", "XKX:name:Kosovo"}},
		{"SCO members honour the Yekaterinburg agreement.",
			[]string{"SCO:name:SCO", "sco-infosec-agreement:alias:Yekaterinburg agreement"}},
		{"The Malabo Convention, unlike the Malabo Protocol, was adopted in Malabo.",
			[]string{"malabo-convention:alias:Malabo Convention", "~malabo-convention:Malabo Protocol", "GNQ:metonym:Malabo"}},
		{"They endorsed the Declaration for the Future of the Internet.",
			[]string{"future-of-internet-declaration:alias:Declaration for the Future of the Internet"}},
		{"On the call, officials ate an apple and an orange; the treaty's intel was thin.",
			[]string{":ref:the treaty"}},
		{"Researchers at Georgia Tech and officials in Georgia disagreed.",
			[]string{"~GEO:Georgia Tech", "GEO:name:Georgia"}},
		{"THE KREMLIN, in a headline, and Kremlin-backed groups.", []string{"RUS:metonym:Kremlin"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := briefs(c.Find(tt.text))
		if len(got) == 0 {
			got = nil
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q)\n got  %q\n want %q", tt.text, got, tt.want)
		}
	}
}

func TestFindAlternatives(t *testing.T) {
	c := defaultCatalog(t)
	ms := c.Find("The Cybersecurity Tech Accord said members would act.")
	if len(ms) != 1 {
		t.Fatalf("Find = %q", briefs(ms))
	}
	alts := briefs(ms[0].Alternatives)
	if !slices.Contains(alts, "cybersecurity-tech-accord:name:Cybersecurity Tech Accord") {
		t.Errorf("alternatives %q lack the actor", alts)
	}
	ms = c.Find("the Christchurch Call Foundation")
	if len(ms) != 1 || ms[0].Target != TargetActor || !slices.Contains(briefs(ms[0].Alternatives), "~christchurch-call:Christchurch Call Foundation") {
		t.Errorf("Find = %+v", ms)
	}
}

func TestFindOffsets(t *testing.T) {
	c := defaultCatalog(t)
	text := "Ménages — “Zürich” résumé: Côte d’Ivoire’s envoy met the Kremlin’s man, and the U.S. said «no» to Brussels – again."
	ms := c.Find(text)
	if len(ms) != 4 {
		t.Fatalf("Find = %q", briefs(ms))
	}
	for _, m := range ms {
		if text[m.Start:m.End] != m.Text {
			t.Errorf("text[%d:%d] = %q, Text %q", m.Start, m.End, text[m.Start:m.End], m.Text)
		}
	}
	want := []string{"CIV:name:Côte d’Ivoire", "RUS:metonym:Kremlin", "USA:name:U.S.", "BEL:metonym:Brussels"}
	if got := briefs(ms); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFindConcurrent(t *testing.T) {
	c := defaultCatalog(t)
	text := benchText()
	want := briefs(c.Find(text))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got := briefs(c.Find(text)); !slices.Equal(got, want) {
					t.Error("concurrent Find differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// benchText is a synthetic ~6 kB news article.
func benchText() string {
	para := "WASHINGTON — The United States said on Tuesday it would join the Paris Call for Trust and Security in Cyberspace, " +
		"reversing a decision by the previous administration. The State Department said the Call’s principles matched U.S. policy, " +
		"while officials in Moscow and Beijing criticised the move. France, which launched the initiative at the Élysée in 2018, " +
		"welcomed the decision; Microsoft President Brad Smith called it a milestone for the Cybersecurity Tech Accord signatories. " +
		"Russia’s envoy to the UN said the Budapest Convention was outdated and urged states to ratify the UN Convention against Cybercrime instead. "
	var b strings.Builder
	for b.Len() < 6000 {
		b.WriteString(para)
	}
	return b.String()
}

func BenchmarkFind(b *testing.B) {
	c := defaultCatalog(b)
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(c.Find(text))
	}
	b.ReportMetric(float64(n), "matches")
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(defaultFS()); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleCatalog_Find() {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	for _, m := range c.Find("The Kremlin rejected the Paris Call, not the Paris Agreement.") {
		fmt.Println(m.Target, m.ID, m.Kind, m.Text)
	}
	// Output:
	// actor RUS metonym Kremlin
	// accord paris-call alias Paris Call
	// lookalike paris-call lookalike Paris Agreement
}
