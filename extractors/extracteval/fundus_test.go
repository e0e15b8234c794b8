package extracteval

import (
	"encoding/json"
	"testing"
)

func TestFundusBodyText(t *testing.T) {
	var b *fundusBody
	if got := b.text(); got != "" {
		t.Errorf("nil body: %q", got)
	}
	raw := `{"summary":["Lead."],"sections":[{"headline":[],"paragraphs":["One.","Two."]},{"headline":["Next"],"paragraphs":["Three."]}]}`
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatal(err)
	}
	if got, want := b.text(), "Lead.\n\nOne.\n\nTwo.\n\nNext\n\nThree."; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	pages := FundusText([]MetaPage{{Path: "a", Body: "x"}, {Path: "b"}})
	if len(pages) != 1 || pages[0].ID != "a" || pages[0].Want != "x" {
		t.Errorf("FundusText = %+v, want only the page with a body", pages)
	}
}
