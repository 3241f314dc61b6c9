package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
	"unicode"

	"github.com/bylinehq/byline/sanitize"
)

// passwordCommandTimeout bounds password-command, which may wait for a
// keyring or an agent to unlock.
const passwordCommandTimeout = 2 * time.Minute

// runPasswordCommand runs command (split into words, never through a
// shell) and returns the first line of its output.
func runPasswordCommand(ctx context.Context, command string) (string, error) {
	args, err := splitWords(command)
	if err != nil {
		return "", fmt.Errorf("password-command: %w", err)
	}
	if len(args) == 0 {
		return "", errors.New("password-command is empty")
	}
	ctx, cancel := context.WithTimeout(ctx, passwordCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// Only stderr is shown: stdout may hold the secret.
		msg := sanitize.Line(firstLine(stderr.String()))
		if len(msg) > maxErrorDetail {
			msg = strings.ToValidUTF8(msg[:maxErrorDetail], "") + "…"
		}
		if msg != "" {
			msg = ": " + msg
		}
		return "", fmt.Errorf("password-command %q failed (%v)%s", args[0], err, msg)
	}
	password := firstLine(stdout.String())
	if password == "" {
		return "", fmt.Errorf("password-command %q printed nothing", args[0])
	}
	return password, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimRight(line, "\r")
}

// splitWords splits s into words the way a shell would for a simple
// command: white space separates, single quotes keep everything, double
// quotes keep everything but backslash escapes, a backslash outside quotes
// escapes the next character. Nothing is expanded.
func splitWords(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			word.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				word.WriteRune(r)
			}
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote == '"':
			if r == '"' {
				quote = 0
			} else {
				word.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, errors.New("unterminated quote or trailing backslash")
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}
