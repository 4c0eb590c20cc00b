#!/usr/bin/env bash
# Checks relative links offline (no network): in every Markdown file in git, and in the
# rendered docs of the workspace's crates if they have been built (`cargo doc --workspace
# --no-deps`, into target/doc). External links (http:, https:, mailto:) are not checked.
#
#   scripts/check-links.sh            # Markdown, then target/doc if it exists
#   scripts/check-links.sh --md-only  # Markdown only
#
# A Markdown link's #fragment must name a heading of the file it points to (GitHub's anchor
# rules: lower case, punctuation dropped, spaces to hyphens). rustdoc's own intra-doc links
# are checked by rustdoc (`-D rustdoc::broken_intra_doc_links`, see .ci/run); this catches what
# it cannot: links into hidden items and hand-written relative links.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
fail() {
    echo "broken link: $*" >&2
    failures=$((failures + 1))
}

# The GitHub anchors of a Markdown file's headings, one a line.
anchors() {
    awk '/^```/ { fence = !fence; next } !fence && /^#+ / {
        sub(/^#+ +/, ""); s = tolower($0)
        gsub(/[^a-z0-9 _-]/, "", s); gsub(/ /, "-", s); print s
    }' "$1"
}

# --- Markdown --------------------------------------------------------------------------
while IFS= read -r md; do
    dir=$(dirname "$md")
    # Inline links `](target)`, outside code fences and code spans.
    while IFS= read -r target; do
        case "$target" in
            http://* | https://* | mailto:*) continue ;;
        esac
        path=${target%%#*}
        fragment=""
        [[ "$target" == *"#"* ]] && fragment=${target#*#}
        if [[ -z "$path" ]]; then
            file="$md"
        else
            file="$dir/$path"
        fi
        if [[ ! -e "$file" ]]; then
            fail "$md -> $target (no such file)"
            continue
        fi
        if [[ -n "$fragment" && "$file" == *.md ]]; then
            anchors "$file" | grep -qxF -- "$fragment" || fail "$md -> $target (no such heading)"
        fi
    done < <(awk '/^```/ { fence = !fence; next } !fence { gsub(/`[^`]*`/, ""); print }' "$md" |
        grep -oE '\]\([^) ]+\)' | sed -E 's/^\]\((.*)\)$/\1/' | sort -u)
done < <(git ls-files '*.md')

# --- rendered docs ---------------------------------------------------------------------
if [[ "${1:-}" != "--md-only" && -d target/doc ]]; then
    crates=()
    for crate in pykka pykka_core pykka_macros pykka_threading pykka_tokio pykka_smol; do
        [[ -d "target/doc/$crate" ]] && crates+=("target/doc/$crate")
    done
    if ((${#crates[@]})); then
        # "resolved-target<TAB>page" for every relative href, normalised in awk.
        while IFS=$'\t' read -r target page; do
            [[ -e "$target" ]] || fail "$page -> $target"
        done < <(find "${crates[@]}" -name '*.html' -print0 | xargs -0 awk '
            function resolve(dir, rel,    n, parts, i, out, k) {
                n = split(dir "/" rel, parts, "/"); k = 0
                for (i = 1; i <= n; i++) {
                    if (parts[i] == "" || parts[i] == ".") continue
                    if (parts[i] == ".." && k > 0 && out[k] != "..") { k--; continue }
                    out[++k] = parts[i]
                }
                s = out[1]; for (i = 2; i <= k; i++) s = s "/" out[i]
                return s
            }
            FNR == 1 { dir = FILENAME; sub(/\/[^\/]*$/, "", dir) }
            {
                line = $0
                while (match(line, /href="[^"]*"/)) {
                    h = substr(line, RSTART + 6, RLENGTH - 7)
                    line = substr(line, RSTART + RLENGTH)
                    sub(/#.*/, "", h); sub(/\?.*/, "", h)
                    if (h == "" || h ~ /^[a-z]+:/ || h ~ /^\// || h ~ /\$\{/) continue
                    print resolve(dir, h) "\t" FILENAME
                }
            }' | sort -u -t $'\t' -k1,1)
        echo "check-links: rendered docs of ${#crates[@]} crates checked"
    fi
fi

if ((failures)); then
    echo "check-links: $failures broken link(s)" >&2
    exit 1
fi
echo "check-links: Markdown links OK"
