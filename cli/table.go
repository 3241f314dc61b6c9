package cli

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// table lines cells up in columns by their width on screen: a CJK
// character or an emoji takes two cells, where text/tabwriter counted one
// per character and shifted every column after it.
type table struct {
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the rows, columns two spaces apart; the last cell of a
// row is not padded.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r[:max(0, len(r)-1)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// clip cuts s to n cells, with an ellipsis.
func clip(s string, n int) string { return ansi.Truncate(s, n, "…") }
