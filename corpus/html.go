package corpus

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped elements hold no document text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Nav: true, atom.Footer: true, atom.Iframe: true, atom.Svg: true, atom.Form: true, atom.Button: true,
}

// block elements end a line of text.
var block = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Tr: true, atom.Section: true, atom.Article: true,
	atom.Blockquote: true, atom.Pre: true, atom.Header: true, atom.Main: true, atom.Table: true, atom.Ul: true,
	atom.Ol: true, atom.Dd: true, atom.Dt: true, atom.Figcaption: true, atom.Td: true, atom.Th: true,
}

// ParseHTML reads an HTML page as a document: its visible text only (no script, style or navigation),
// a line per block element, titled from <title> or else the first <h1>.
func ParseHTML(id string, raw []byte) (Document, error) {
	root, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return Document{}, err
	}
	var text strings.Builder
	var title, h1 string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.DataAtom == atom.Title && title == "":
				title = strings.TrimSpace(textOf(n))
				return
			case n.DataAtom == atom.H1 && h1 == "":
				h1 = strings.TrimSpace(textOf(n))
			}
			if skipped[n.DataAtom] {
				return
			}
			if block[n.DataAtom] {
				text.WriteString("\n")
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(strings.Join(strings.Fields(n.Data), " "))
			if strings.HasSuffix(n.Data, " ") || strings.HasSuffix(n.Data, "\n") {
				text.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && block[n.DataAtom] {
			text.WriteString("\n")
		}
	}
	walk(root)
	doc := Parse(id, text.String())
	if t := cleanTitle(title, h1); t != "" {
		doc.Title = shortTitle(t)
	}
	return doc, nil
}

func cleanTitle(title, h1 string) string {
	if title == "" {
		title = h1
	}
	return strings.Join(strings.Fields(title), " ")
}

// textOf returns the text inside a node.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
