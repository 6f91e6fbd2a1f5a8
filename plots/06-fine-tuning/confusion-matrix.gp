# Heatmap: Test confusion matrix (pretrained, seed 42)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot confusion-matrix.gp                  writes confusion-matrix.png
#   gnuplot -e "preview=1" confusion-matrix.gp   draws the plot as text in the terminal

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
  set output "confusion-matrix.png"
}

# --- Data: one line per row (top to bottom), one number per column (left to right)
$cells << EOD
163 37
21 179
EOD

# --- Look
set title 'Test confusion matrix (pretrained, seed 42)' font ",26"
set xlabel 'predicted class'
set ylabel 'true class'
low = 21
high = 179
set cbrange [low:high]
set palette defined (0 "#ffffff", 0.125 "#eff3ff", 0.25 "#c6dbef", 0.375 "#9ecae1", 0.5 "#6baed6", 0.625 "#4292c6", 0.75 "#2171b5", 0.875 "#08519c", 1 "#08306b")
set cblabel 'sentences'
set xrange [-0.5:1.5]
set yrange [1.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
set xtics ('negative' 0, 'positive' 1) rotate by 45 right font ",18"
set ytics ('negative' 0, 'positive' 1) font ",18"
unset key
# Printed values: white on dark cells, black on light ones.
position(v) = (v - low) / (high - low)
dark(v) = position(v) > 0.55

# --- Plot
plot $cells matrix with image pixels, \
     $cells matrix using 1:2:(dark($3) ? sprintf('%.0f', $3) : "") with labels textcolor rgb "#ffffff" font ",15", \
     $cells matrix using 1:2:(dark($3) ? "" : sprintf('%.0f', $3)) with labels textcolor rgb "#000000" font ",15"
