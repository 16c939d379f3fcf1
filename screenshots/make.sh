#!/usr/bin/env bash
# Regenerates the screenshots of each view of `wbfiles --demo`:
# runs the program in a detached tmux session, drives it with send-keys,
# captures the screen with its colours (capture-pane -e) and renders each
# capture to an image (webp, or png) with charmbracelet/freeze.
#
# Needs tmux (apt-get install tmux) and freeze, which this script installs
# with `go install` when it is missing. Usage: screenshots/make.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FREEZE_VERSION=v0.2.2
FORMAT=${FORMAT:-webp} # webp is a fifth of the size of png; FORMAT=png also works
W=${W:-100}
H=${H:-30}
out=screenshots
session=wbfiles-shots-$$
work=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v tmux >/dev/null || { echo "screenshots: tmux is needed (apt-get install tmux)" >&2; exit 1; }
freeze=$(command -v freeze || echo "$(go env GOPATH)/bin/freeze")
if [ ! -x "$freeze" ]; then
  go install "github.com/charmbracelet/freeze@$FREEZE_VERSION"
fi

go build -o "$work/wbfiles" .

cat > "$work/sgr.pl" <<'PERL'
# freeze draws neither reverse video (the cursor row) nor a return to the
# default foreground: rewrite both into explicit colours, as a terminal
# shows them.
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

# wait_for TEXT: poll the pane until TEXT shows (10 s at most).
wait_for() {
  for _ in $(seq 100); do
    if tmux capture-pane -p -t "$session" | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "screenshots: timed out waiting for '$1'; the screen was:" >&2
  tmux capture-pane -p -t "$session" >&2
  exit 1
}

# shot NAME: capture the pane with colours and render it.
shot() {
  sleep 0.4
  tmux capture-pane -e -p -t "$session" | perl -p "$work/sgr.pl" > "$work/$1.ansi"
  (cd "$repo" && "$freeze" --language ansi --window --padding 20 --margin 0 \
    --font.size 14 -o "$out/$1.$FORMAT" "$work/$1.ansi" >/dev/null)
  echo "wrote $out/$1.$FORMAT"
}

keys() { tmux send-keys -t "$session" "$@"; }

repo=$PWD
tmux new-session -d -s "$session" -x "$W" -y "$H" -c "$work" \
  "TERM=xterm-256color COLORTERM=truecolor $work/wbfiles --demo --dest checkpoints-from-wandb"
wait_for "files loaded"
shot list

# Narrowing while typing, before enter sends it to the server.
keys /
keys adapter
wait_for "contain"
shot filter
keys Escape
sleep 0.3

# The detail view of config.yaml with its preview.
keys / config.yaml Enter
wait_for "filter \"config.yaml\""
keys Enter
wait_for "preview"
shot detail
# Separate escapes: two in one write read as alt+esc.
keys Escape
sleep 0.3
keys Escape
wait_for "78 files loaded"

keys '?'
shot help
keys '?'

# Select a few files, download them, and look at the downloads view.
keys j j j ' ' ' ' ' ' ' ' j j ' '
wait_for "selected"
shot selected
keys d
wait_for "downloads"
keys Tab
wait_for "Downloads"
sleep 1
shot downloads
keys Tab
sleep 0.3
keys q
