#!/usr/bin/env bash
# Regenerates the PNG screenshots of each view of `wbfiles --demo`.
#
# How: builds the program, runs it in a detached tmux session on a private
# tmux server, drives it with send-keys, and after each step waits for the
# screen to show the expected text and then to stop changing (no fixed
# sleeps). Each screen is captured with its colours (capture-pane -e),
# turned into an SVG by charmbracelet/freeze and rasterised by rsvg-convert
# with DejaVu Sans Mono, then reduced to a small palette by pngquant. Every
# file is checked to really be a PNG before it replaces the one in
# screenshots/; a failed run leaves the old images alone.
#
# The program runs in $WBFILES_DEMO_DIR (default ~/wbfiles-demo), so the
# download folder shown on screen is that path, not a temporary one. The
# folder must be new or empty (or left over from an earlier run of this
# script); it is removed at the end.
#
# Needs: go, tmux, rsvg-convert (librsvg2-bin), pngquant, fontconfig and the
# DejaVu Sans Mono font (fonts-dejavu-core); the script names the missing
# ones. freeze is installed with `go install` into a cache folder on the
# first run (pinned version, so every run renders the same way).
#
# Usage: screenshots/make.sh   (from anywhere; writes into the clone that
# holds this script)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=$repo/screenshots

FREEZE_VERSION=v0.2.2
W=100 # terminal columns
H=30  # terminal rows
FONT="DejaVu Sans Mono"
FONT_SIZE=14
demo=${WBFILES_DEMO_DIR:-$HOME/wbfiles-demo}

die() { echo "screenshots: $*" >&2; exit 1; }

# --- tools ------------------------------------------------------------------
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
command -v pngquant >/dev/null || missing+=(pngquant)
if ! command -v fc-list >/dev/null; then
  missing+=(fontconfig fonts-dejavu-core)
elif ! fc-list ":family=$FONT" family | grep -qF "$FONT"; then
  missing+=(fonts-dejavu-core)
fi
if [ ${#missing[@]} -gt 0 ]; then
  die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
fi
command -v go >/dev/null || die "go is needed (https://go.dev/dl/) to build wbfiles and freeze"

freeze_dir=${XDG_CACHE_HOME:-$HOME/.cache}/wbfiles-screenshots/freeze-$FREEZE_VERSION
freeze=$freeze_dir/freeze
if [ ! -x "$freeze" ]; then
  echo "screenshots: installing freeze $FREEZE_VERSION into $freeze_dir (once)"
  GOBIN=$freeze_dir go install "github.com/charmbracelet/freeze@$FREEZE_VERSION" ||
    die "go install github.com/charmbracelet/freeze@$FREEZE_VERSION failed"
fi

# --- work folders -----------------------------------------------------------
work=$(mktemp -d)
sock=$work/tmux.sock # a private tmux server; its socket goes with $work
marker=.wbfiles-screenshots # marks $demo as made by this script
made_demo=
cleanup() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
  if [ -n "$made_demo" ]; then rm -rf "$demo"; fi
}
trap cleanup EXIT

if [ -e "$demo" ] && [ ! -f "$demo/$marker" ] && [ -n "$(ls -A "$demo" 2>/dev/null)" ]; then
  die "$demo is not empty; move it away or set WBFILES_DEMO_DIR to a new folder"
fi
rm -rf "$demo"
mkdir -p "$demo"
made_demo=1
touch "$demo/$marker"

echo "screenshots: building wbfiles"
go build -o "$work/wbfiles" .

# --- rendering --------------------------------------------------------------
cat > "$work/sgr.pl" <<'PERL'
# freeze draws neither reverse video (the cursor row) nor a return to the
# default foreground: rewrite both into explicit colours. tmux carries the
# attributes from one line to the next, and so does this filter.
my $rev = 0;
sub sgr {
  my @in = split /;/, $_[0], -1;
  @in = (0) unless @in;
  my @out;
  while (@in) {
    my $p = shift @in;
    $p = 0 if $p eq '';
    if (($p == 38 || $p == 48) && @in) {
      my $n = $in[0] == 2 ? 4 : 2;
      push @out, $p, splice(@in, 0, $n);
    } elsif ($p == 7) { $rev = 1; push @out, '48;2;70;62;120' }
    elsif ($p == 27) { $rev = 0; push @out, 49 }
    elsif ($p == 0) { $rev = 0; push @out, 0, '38;2;220;220;220' }
    elsif ($p == 49) { push @out, $rev ? '48;2;70;62;120' : 49 }
    elsif ($p == 39) { push @out, '38;2;220;220;220' }
    else { push @out, $p }
  }
  return "\e[" . join(';', @out) . "m";
}
s/\e\[([0-9;]*)m/sgr($1)/ge;
PERL

# freeze places the background boxes (the cursor row) at a cell width of
# FONT_SIZE/1.68 but leaves the text to the font's own advance, which is
# 1233/2048 em in DejaVu Sans Mono: the text is drawn at the size whose
# advance is exactly that cell width, so boxes and columns stay in step.
text_size=$(awk -v s="$FONT_SIZE" 'BEGIN { printf "%.2f", s / 1.68 / (1233 / 2048) }')
img_width=$(awk -v s="$FONT_SIZE" -v w="$W" 'BEGIN { printf "%.2f", (w + 1) * s / 1.68 + 40 }')

# A glyph missing from the font comes from another font with another width
# and shifts the rest of its line: refuse such a screen.
check_glyphs() {
  local cp
  for cp in $(perl -CSD -ne 'print sprintf("%04x\n", ord $1) while /([^\x00-\x7f])/g' "$1" | sort -u); do
    fc-list ":family=$FONT:charset=$cp" family | grep -qF "$FONT" ||
      die "U+$cp on the $2 screen is not in $FONT; its line would not align"
  done
}

# render NAME: $work/NAME.ansi -> $work/NAME.png, checked.
render() {
  local name=$1 svg=$work/$1.svg png=$work/$1.png
  check_glyphs "$work/$name.ansi" "$name"
  perl -p "$work/sgr.pl" "$work/$name.ansi" > "$work/$name.sgr"
  "$freeze" --config base --language ansi --window --padding 20 --margin 0 \
    --font.family "$FONT" --font.size "$FONT_SIZE" --width "$img_width" \
    -o "$svg" "$work/$name.sgr" >/dev/null
  grep -q "font-size=\"$FONT_SIZE.00px\"" "$svg" || die "$name: freeze wrote no font-size=\"$FONT_SIZE.00px\"; has its SVG changed?"
  sed -i "s/font-size=\"$FONT_SIZE.00px\"/font-size=\"${text_size}px\"/" "$svg"
  rsvg-convert -b '#171717' -o "$work/$name.full.png" "$svg"
  pngquant --force --strip --speed 1 --output "$png" 64 -- "$work/$name.full.png"
  local magic
  magic=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
  [ "$magic" = 89504e470d0a1a0a ] || die "$png is not a PNG (it starts with $magic)"
}

# --- driving the program ----------------------------------------------------
unset TMUX # a private server, also when run from inside tmux
t() { tmux -S "$sock" "$@"; }
screen() { t capture-pane -p -t shots; }
keys() { t send-keys -t shots "$@"; }

fail_screen() {
  echo "screenshots: $1; the screen was:" >&2
  screen >&2 || true
  exit 1
}

# wait_for TEXT: poll until TEXT is on screen (15 s at most).
wait_for() {
  for _ in $(seq 150); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail_screen "timed out waiting for '$1'"
}

# wait_gone TEXT: poll until TEXT has left the screen (15 s at most).
wait_gone() {
  for _ in $(seq 150); do
    if ! screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail_screen "timed out waiting for '$1' to go"
}

# settle: poll until the screen has not changed for 0.6 s (15 s at most),
# so that a shot never catches a half-drawn frame or a spinner.
settle() {
  local prev='' cur same=0
  for _ in $(seq 75); do
    cur=$(t capture-pane -e -p -t shots)
    if [ "$cur" = "$prev" ]; then
      same=$((same + 1))
      if [ $same -ge 3 ]; then return 0; fi
    else
      same=0
    fi
    prev=$cur
    sleep 0.2
  done
  fail_screen "the screen kept changing"
}

# shot NAME: capture the settled screen with its colours and render it.
shot() {
  settle
  t capture-pane -e -N -p -t shots > "$work/$1.ansi"
  render "$1"
}

cat > "$work/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
EOF
t -u -f "$work/tmux.conf" new-session -d -s shots -x "$W" -y "$H" -c "$demo" \
  "env -u NO_COLOR TERM=xterm-256color COLORTERM=truecolor '$work/wbfiles' --demo"
size=$(t display-message -p -t shots '#{pane_width}x#{pane_height}')
[ "$size" = "${W}x${H}" ] || die "the tmux pane is $size, not ${W}x${H}"

# The run opens in its top folder (its 日本語/ is not in the font: the
# shot is of checkpoints/); going back shows its project's runs.
wait_for "78 files"
keys j j Enter
wait_for "step_03000/"
shot folders
keys h
wait_for "78 files"
keys h
wait_for "by created (s)"
shot runs
keys Enter
wait_for "78 files"
# The run's artifacts, logged and used.
keys o
wait_for "instruct-mix-v3:v1"
shot artifacts
keys h
wait_for "78 files"
# The flat list of every path, where the rest happens.
keys v
wait_for "files loaded"
shot list

# Narrowing while typing, before enter sends it to the server.
keys /
keys adapter
wait_for 'contain "adapter"'
shot filter
keys Escape
wait_gone '/ adapter'

# The detail view of config.yaml with its preview.
keys / config.yaml Enter
wait_for 'filter "config.yaml"'
settle
keys Enter
wait_for "preview"
shot detail
# One escape at a time: two in one write read as alt+esc.
keys Escape
wait_gone "preview"
keys Escape
wait_gone 'filter "config.yaml"'
wait_for "files loaded"
settle

keys '?'
wait_for "esc back"
shot help
keys '?'
wait_gone "esc back"
settle

# Select a few files, download them, and look at the downloads view.
keys j j j ' ' ' ' ' ' ' ' j j ' '
wait_for "5 selected"
shot selected
keys d
wait_for "downloads 5/5"
keys Tab
wait_for "5 of 5 done"
shot downloads

for name in folders runs artifacts list filter detail help selected downloads; do
  mv "$work/$name.png" "$out/$name.png"
  echo "wrote screenshots/$name.png ($(( $(wc -c < "$out/$name.png") / 1024 )) KiB)"
done
