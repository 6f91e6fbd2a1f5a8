# Scatter plot: Embeddings
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot scatter-plot.gp                  writes scatter-plot.png
#   gnuplot -e "preview=1" scatter-plot.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "scatter-plot.png"
}

# --- Data: one block per group; columns: x, y

$words << EOD
# group: words
1 0.5
-1 0.25
EOD

$pieces << EOD
# group: pieces
0 -1
EOD

$unlabelled << EOD
# group: unlabelled
2 2
EOD

# --- Look
set title 'Embeddings' font ",26"
set xlabel 'component 1'
set ylabel 'component 2'
set border 3 linewidth 1.5
set tics nomirror
set grid linecolor rgb "#dddddd" linewidth 1
set key outside right top spacing 1.3
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08  # room for the labels
set size ratio -1
set style line 1 linecolor rgb "#0072b2" pointtype 7 pointsize 2
set style line 2 linecolor rgb "#d55e00" pointtype 7 pointsize 2
set style line 3 linecolor rgb "#009e73" pointtype 7 pointsize 2

# --- Point labels, just right of each point
set label 1 'it''s' at 1, 0.5 offset char 1, char 0.3 font ",17"
set label 2 '中文' at -1, 0.25 offset char 1, char 0.3 font ",17"
set label 3 '##ing' at 0, -1 offset char 1, char 0.3 font ",17"

# --- Plot
plot $words using 1:2 with points linestyle 1 title 'words', \
     $pieces using 1:2 with points linestyle 2 title 'pieces', \
     $unlabelled using 1:2 with points linestyle 3 title 'unlabelled'
