package article_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// TestExtractLegacyEncodings writes the same kind of page in legacy
// encodings, declared by the HTTP header, a <meta> tag or a byte order
// mark, and checks that title and text come out as the right UTF-8.
func TestExtractLegacyEncodings(t *testing.T) {
	cases := []struct {
		name        string
		enc         encoding.Encoding
		contentType string // HTTP header
		meta        string // <meta> declaration, if any
		title, text string
	}{
		{"windows-1252 by meta", charmap.Windows1252, "text/html", `<meta charset="windows-1252">`,
			"Café « déjà vu » – l’été", "Le président a déclaré: «Nous refusons». Ça coûte 5 € – c’est “cher”."},
		{"windows-1252 by header", charmap.Windows1252, "text/html; charset=windows-1252", "",
			"Naïve façade — Œuvre", "Smart “quotes” and an ellipsis… and the euro sign € in running text."},
		{"iso-8859-1 by http-equiv", charmap.ISO8859_1, "", `<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">`,
			"Größere Straßen für Zürich", "Die Bürger äußerten große Bedenken über die Maßnahmen der Behörde in Zürich."},
		{"iso-8859-2 by meta", charmap.ISO8859_2, "", `<meta charset="iso-8859-2">`,
			"Łódź i Kraków: żółć", "Prezydent Łodzi powiedział, że ścieżki rowerowe będą gotowe w przyszłym roku."},
		{"iso-8859-15 by header", charmap.ISO8859_15, "text/html; charset=ISO-8859-15", "",
			"Prix en € pour l'œuvre", "Le prix de l'œuvre est de 300 € selon le musée, qui a confirmé la vente hier."},
		{"windows-1251 by meta", charmap.Windows1251, "", `<meta charset="windows-1251">`,
			"Москва и Киев", "Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе."},
		{"shift_jis by meta", japanese.ShiftJIS, "", `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`,
			"東京で国際会議が開幕", "日本政府は、サイバー空間における国際的な規範について各国と協議すると発表した。"},
		{"shift_jis by header", japanese.ShiftJIS, "text/html; charset=shift_jis", "",
			"首相が声明を発表", "首相は記者会見で、国際協定への参加を検討していると述べた。詳細は来週発表される。"},
		{"euc-jp by meta", japanese.EUCJP, "", `<meta charset="euc-jp">`,
			"外務省が談話", "外務省は、新しい協定が地域の安定に寄与するとの談話を発表した。"},
		{"utf-16le by bom", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "", "",
			"Ünïcödé page", "A page saved as UTF-16 with a byte order mark, as some editors do."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html><head>" + c.meta + "<title>" + c.title + "</title></head><body><article><h1>" +
				c.title + "</h1><p>" + c.text + "</p><p>" + c.text + "</p></article></body></html>"
			body, err := c.enc.NewEncoder().Bytes([]byte(page))
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			a, err := article.Extract(body, c.contentType, "https://news.example.com/a")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != c.title {
				t.Errorf("title = %q, want %q", a.Title, c.title)
			}
			if want := c.text + "\n\n" + c.text; a.Text != want {
				t.Errorf("text = %q, want %q", a.Text, want)
			}
			if strings.ContainsRune(a.Text+a.Title, '\uFFFD') {
				t.Errorf("replacement character in output")
			}
		})
	}
}
