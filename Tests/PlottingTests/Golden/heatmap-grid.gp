# Grid of heatmaps: Every head
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot heatmap-grid.gp                  writes heatmap-grid.png
#   gnuplot -e "preview=1" heatmap-grid.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 160,60 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1030,860 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 1030,860 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "heatmap-grid.png"
}

# --- Data: one block per panel ($panel_<row>_<column>), one line per matrix row

$panel_1_1 << EOD
# panel: L1 H1
0.75 0.25
0.5 0.5
EOD

$panel_1_2 << EOD
# panel: L1 H2
0.75 0.25
0.5 0.5
EOD

$panel_2_1 << EOD
# panel: L2 H1
0.75 0.25
0.5 0.5
EOD

$panel_2_2 << EOD
# panel: L2 H2
0.75 0.25
0.5 0.5
EOD

# --- Look shared by every panel
low = 0
high = 1
set cbrange [low:high]
set palette defined (0 "#ffffff", 0.125 "#eff3ff", 0.25 "#c6dbef", 0.375 "#9ecae1", 0.5 "#6baed6", 0.625 "#4292c6", 0.75 "#2171b5", 0.875 "#08519c", 1 "#08306b")
set cblabel 'attention weight'
set xrange [-0.5:1.5]
set yrange [1.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
unset key
unset colorbox
unset xtics
unset ytics
set multiplot layout 2,2 title 'Every head' font ",28" margins 0.184466,0.76699,0.151163,0.848837 spacing 0.0116505,0.055814

# --- Panels, row by row; row labels on the left column, column labels on the bottom row

set title 'L1 H1' font ",16" offset 0,-0.6
set ytics ('[CLS]' 0, '##ing' 1) font ",12"
plot $panel_1_1 matrix with image pixels

set title 'L1 H2' font ",16" offset 0,-0.6
unset ytics
plot $panel_1_2 matrix with image pixels

set title 'L2 H1' font ",16" offset 0,-0.6
set ytics ('[CLS]' 0, '##ing' 1) font ",12"
set xtics ('[CLS]' 0, '##ing' 1) rotate by 45 right font ",12"
plot $panel_2_1 matrix with image pixels

# The shared colour bar, drawn with the last panel, right of the grid.
set colorbox user origin screen 0.815534, screen 0.151163 size screen 0.0291262, screen 0.697674
set title 'L2 H2' font ",16" offset 0,-0.6
unset ytics
plot $panel_2_2 matrix with image pixels

unset multiplot
