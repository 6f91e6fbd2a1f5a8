# Heatmap: Weight differences
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot heatmap-diverging.gp                  writes heatmap-diverging.png
#   gnuplot -e "preview=1" heatmap-diverging.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 840,640 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 840,640 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "heatmap-diverging.png"
}

# --- Data: one line per row (top to bottom), one number per column (left to right)
$cells << EOD
-2 1
0.5 4
EOD

# --- Look
set title 'Weight differences' font ",26"
set xlabel ''
set ylabel ''
low = -4
high = 4
set cbrange [low:high]
set palette defined (0 "#08306b", 0.2 "#2171b5", 0.4 "#9ecae1", 0.5 "#ffffff", 0.6 "#fcae91", 0.8 "#de2d26", 1 "#67000d")
set cblabel 'difference'
set xrange [-0.5:1.5]
set yrange [1.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
set xtics ('c' 0, 'd' 1) rotate by 45 right font ",18"
set ytics ('a' 0, 'b' 1) font ",18"
unset key
# Printed values: white on dark cells, black on light ones.
position(v) = (v - low) / (high - low)
dark(v) = position(v) < 0.2 || position(v) > 0.8

# --- Plot
plot $cells matrix with image pixels, \
     $cells matrix using 1:2:(dark($3) ? sprintf('%+.1f', $3) : "") with labels textcolor rgb "#ffffff" font ",15", \
     $cells matrix using 1:2:(dark($3) ? "" : sprintf('%+.1f', $3)) with labels textcolor rgb "#000000" font ",15"
