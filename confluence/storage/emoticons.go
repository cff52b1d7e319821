package storage

import (
	"strconv"
	"strings"
)

// emoticonNames maps the classic ac:emoticon names to emoji.
var emoticonNames = map[string]string{
	"smile": "🙂", "sad": "🙁", "cheeky": "😛", "laugh": "😀", "wink": "😉",
	"thumbs-up": "👍", "thumbs-down": "👎", "information": "ℹ️", "tick": "✅",
	"cross": "❌", "warning": "⚠️", "plus": "➕", "minus": "➖", "question": "❓",
	"light-on": "💡", "light-off": "💡", "yellow-star": "⭐", "red-star": "⭐",
	"green-star": "⭐", "blue-star": "⭐", "heart": "❤️", "broken-heart": "💔",
}

// emoticon renders ac:emoticon as an emoji: the emoji-fallback attribute, the
// code points of emoji-id, the ":shortname:" of a custom emoji, the emoji of
// the classic name, or else ":name:".
func emoticon(n *node) string {
	if fb := strings.TrimSpace(n.attr("ac:emoji-fallback")); fb != "" && !strings.HasPrefix(fb, ":") {
		return fb
	}
	if s, ok := emojiFromID(n.attr("ac:emoji-id")); ok {
		return s
	}
	if sn := strings.Trim(n.attr("ac:emoji-shortname"), ":"); sn != "" {
		return ":" + sn + ":"
	}
	name := n.attr("ac:name")
	if e, ok := emoticonNames[name]; ok {
		return e
	}
	if name == "" {
		return ""
	}
	return ":" + name + ":"
}

// emojiFromID decodes ids like "1f642" or "1f44d-1f3fb".
func emojiFromID(id string) (string, bool) {
	if id == "" {
		return "", false
	}
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		v, err := strconv.ParseUint(part, 16, 32)
		if err != nil || v < 0x20 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) {
			return "", false
		}
		b.WriteRune(rune(v))
	}
	return b.String(), true
}
