package cli

import (
	"os"
	"time"

	"github.com/bylinehq/byline/article"
	"github.com/bylinehq/byline/picture"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
)

// replyTimeout bounds the wait for the terminal's answers to
// picture.Queries. Every terminal answers DA1 at once; one that does not
// answer at all is not worth a longer pause.
const replyTimeout = 500 * time.Millisecond

// pictureSettings resolves the images mode for `read --format ansi` on
// stdout: "auto" asks the terminal when stdin and stdout are one, and
// otherwise judges by the environment alone. Pictures take at most a
// third of the terminal's height.
func (e *env) pictureSettings(mode picture.Mode) article.Pictures {
	pics := article.Pictures{Mode: mode, MaxRows: 12}
	out, isFile := e.stdout.(*os.File)
	onTerminal := isFile && term.IsTerminal(out.Fd()) && term.IsTerminal(os.Stdin.Fd())
	if onTerminal {
		if _, h, err := term.GetSize(out.Fd()); err == nil && h > 0 {
			pics.MaxRows = max(3, h/3)
		}
	}
	if mode != picture.ModeAuto && mode != picture.ModeSixel && mode != picture.ModeKitty {
		return pics
	}
	t := picture.Terminal{Getenv: os.Getenv, TrueColor: colorprofile.Detect(e.stdout, os.Environ()) == colorprofile.TrueColor}
	if onTerminal {
		var cell picture.Cell
		t.Kitty, t.Sixel, cell = queryTerminal(os.Stdin, out)
		pics.Cell = cell
	}
	if mode == picture.ModeAuto {
		pics.Mode = picture.Detect(t)
	}
	return pics
}

// queryTerminal sends picture.Queries and reads the answers until DA1,
// the last, has come or replyTimeout has passed.
func queryTerminal(in, out *os.File) (kitty, sixel bool, cell picture.Cell) {
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return false, false, picture.Cell{}
	}
	defer term.Restore(in.Fd(), state)
	if _, err := out.WriteString(picture.Queries); err != nil {
		return false, false, picture.Cell{}
	}
	chunks := make(chan []byte)
	go func() {
		// Left blocked in Read if the terminal never answers; the command
		// ends soon after anyway.
		buf := make([]byte, 256)
		for {
			n, err := in.Read(buf)
			if n > 0 {
				chunks <- append([]byte(nil), buf[:n]...)
			}
			if err != nil {
				close(chunks)
				return
			}
		}
	}()
	var got []byte
	deadline := time.After(replyTimeout)
	for {
		select {
		case b, ok := <-chunks:
			if !ok {
				return readReplies(got)
			}
			got = append(got, b...)
			if t, c, done := picture.Replies(got); done {
				return t.Kitty, t.Sixel, c
			}
		case <-deadline:
			return readReplies(got)
		}
	}
}

func readReplies(b []byte) (kitty, sixel bool, cell picture.Cell) {
	t, c, _ := picture.Replies(b)
	return t.Kitty, t.Sixel, c
}
