// Package prosemodel shares one prose v2 model across a process.
//
// prose's NewDocument reloads its embedded model on every call unless it is
// given one with prose.UsingModel; loading costs ~290 ms and ~65 MB, tagging
// a short article with a shared model ~20 ms. Every caller in accordwatch
// goes through this package.
package prosemodel

import (
	"sync"

	"github.com/jdkato/prose/v2"
)

var (
	once  sync.Once
	model *prose.Model
)

// Model returns the process-wide prose model, loading it on first use.
func Model() *prose.Model {
	once.Do(func() {
		doc, err := prose.NewDocument("Load.", prose.WithSegmentation(false))
		if err != nil {
			panic("prosemodel: loading prose's embedded model: " + err.Error())
		}
		model = doc.Model
	})
	return model
}

// Document tokenises, tags and (if entities is true) runs named-entity
// recognition on text with the shared model. Sentence segmentation is off:
// accordwatch segments on the raw text so that offsets stay exact.
func Document(text string, entities bool) (*prose.Document, error) {
	return prose.NewDocument(text,
		prose.UsingModel(Model()),
		prose.WithSegmentation(false),
		prose.WithExtraction(entities),
	)
}
