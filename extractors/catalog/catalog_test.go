package catalog

import (
	"io/fs"

	"github.com/accordwatch/accordwatch/configs"
	"strings"
	"testing"
	"testing/fstest"
)

// unMembers are the ISO alpha-3 codes of the 193 UN member states.
var unMembers = strings.Fields(`
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI
CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI
FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN
IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA
UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE`)

var accordIDs = []string{
	"paris-call", "budapest-convention", "un-cybercrime-convention", "christchurch-call",
	"tech-accord", "counter-ransomware-initiative", "pall-mall-process", "un-cyber-norms",
	"future-of-internet-declaration", "malabo-convention", "sco-infosec-agreement",
}

func defaultCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return c
}

func TestDefaultActors(t *testing.T) {
	c := defaultCatalog(t)
	if len(unMembers) != 193 {
		t.Fatalf("test list has %d UN members, want 193", len(unMembers))
	}
	ids := append(append([]string{}, unMembers...), "VAT", "PSE", "TWN", "XKX")
	for _, id := range ids {
		a, ok := c.Actor(id)
		if !ok {
			t.Errorf("state %s missing", id)
			continue
		}
		if a.Kind != KindState {
			t.Errorf("%s: kind %q, want state", id, a.Kind)
		}
	}
	for _, id := range []string{"EU", "UN", "NATO", "AU", "ASEAN", "COE", "SCO", "G7", "g20", "oas", "osce", "interpol", "gcc", "brics", "commonwealth", "ecowas", "arab-league", "oecd", "itu"} {
		if a, ok := c.Actor(id); !ok || a.Kind != KindIGO {
			t.Errorf("igo %s: got %+v, %v", id, a.Kind, ok)
		}
	}
	for _, id := range []string{"microsoft", "google", "meta", "amazon", "hpe", "telefonica", "trend-micro", "palo-alto-networks", "equifax", "colonial-pipeline"} {
		if a, ok := c.Actor(id); !ok || a.Kind != KindCompany {
			t.Errorf("company %s: got %+v, %v", id, a.Kind, ok)
		}
	}
	for _, id := range []string{"eff", "human-rights-watch", "cybersecurity-tech-accord", "christchurch-call-foundation", "icrc", "fianz"} {
		if a, ok := c.Actor(id); !ok || a.Kind != KindNGO {
			t.Errorf("ngo %s: got %+v, %v", id, a.Kind, ok)
		}
	}
	seen := map[string]bool{}
	states := 0
	for _, a := range c.Actors {
		if seen[a.ID] {
			t.Errorf("duplicate actor id %s", a.ID)
		}
		seen[a.ID] = true
		if a.Name == "" || len(a.Names) == 0 {
			t.Errorf("%s: no name", a.ID)
		}
		if a.Kind == KindState {
			states++
			if len(a.ID) != 3 || strings.ToUpper(a.ID) != a.ID {
				t.Errorf("state id %q is not ISO alpha-3", a.ID)
			}
		}
	}
	if states < 197 {
		t.Errorf("%d states, want >= 197", states)
	}
	if _, ok := c.Actor("nope"); ok {
		t.Error(`Actor("nope") found`)
	}
}

func TestDefaultAccords(t *testing.T) {
	c := defaultCatalog(t)
	if len(c.Accords) != len(accordIDs) {
		t.Errorf("%d accords, want %d", len(c.Accords), len(accordIDs))
	}
	for _, id := range accordIDs {
		a, ok := c.Accord(id)
		if !ok {
			t.Errorf("accord %s missing", id)
			continue
		}
		if a.Name == "" || len(a.Aliases) == 0 {
			t.Errorf("%s: no name or aliases", id)
		}
	}
}

const goodActors = `
- id: USA
  kind: state
  name: United States
  names: [United States, US]
`

const goodAccords = `
- id: paris-call
  name: Paris Call
  kind: declaration
  aliases: [Paris Call]
`

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name            string
		actors, accords string
		want            []string // substrings of the error
	}{
		{"broken actors", "- id: [USA\n  kind: state", goodAccords, []string{"actors.yaml"}},
		{"broken accords", goodActors, "- id: x\n  aliases: [a\n", []string{"accords.yaml"}},
		{"unknown field", goodActors + "  capital: Washington\n", goodAccords, []string{"actors.yaml", "capital"}},
		{"duplicate actor", goodActors + goodActors, goodAccords, []string{"actors.yaml", `"USA"`, "duplicate"}},
		{"bad kind", strings.Replace(goodActors, "kind: state", "kind: country", 1), goodAccords, []string{"actors.yaml", "country"}},
		{"empty name", strings.Replace(goodActors, "name: United States", "name: ''", 1), goodAccords, []string{"actors.yaml", "empty name"}},
		{"accord kind", goodActors, strings.Replace(goodAccords, "declaration", "memo", 1), []string{"accords.yaml", "paris-call", "memo"}},
		{"shared alias", goodActors, goodAccords + "- id: other\n  name: Other\n  kind: treaty\n  aliases: [Paris Call]\n", []string{"accords.yaml", `"other"`, "Paris Call", `"paris-call"`}},
		{"shared actor name", goodActors + "- id: GBR\n  kind: state\n  name: UK\n  names: [UK, US]\n", goodAccords, []string{"actors.yaml", `"GBR"`, `"US"`}},
		{"missing file", goodActors, "", []string{"accords.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{ActorsFile: {Data: []byte(tt.actors)}}
			if tt.accords != "" {
				fsys[AccordsFile] = &fstest.MapFile{Data: []byte(tt.accords)}
			}
			_, err := Load(fsys)
			if err == nil {
				t.Fatal("Load succeeded, want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadMinimal(t *testing.T) {
	c, err := Load(fstest.MapFS{
		ActorsFile:  {Data: []byte(goodActors)},
		AccordsFile: {Data: []byte(goodAccords)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := c.Find("The US backs the Paris Call.")
	if len(got) != 2 || got[0].ID != "USA" || got[1].ID != "paris-call" {
		t.Errorf("Find = %+v", got)
	}
}

func defaultFS() fs.FS { return configs.FS }
