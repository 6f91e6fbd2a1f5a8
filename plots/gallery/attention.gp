# Heatmap: Layer 3, head 5: attention to the previous token (illustrative data)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot attention.gp                  writes attention.png
#   gnuplot -e "preview=1" attention.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1412,1212 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 1412,1212 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "attention.png"
}

# --- Data: one line per row (top to bottom), one number per column (left to right)
$cells << EOD
0.915604 0.0146136 0.00816736 0.0133298 0.0119758 0.00609435 0.00872771 0.0147004 0.00678721
0.93972 0.00267142 0.00764192 0.0112794 0.00696807 0.00652513 0.00887547 0.00669118 0.00962763
0.186015 0.6751 0.0320896 0.0116755 0.0189443 0.0282529 0.00905467 0.026483 0.0123844
0.0625905 0.0147072 0.780762 0.0177946 0.019064 0.00505919 0.028078 0.0275904 0.0443544
0.125042 0.0289236 0.0149129 0.66105 0.0199182 0.0707986 0.0103747 0.0300121 0.0389684
0.228176 0.052047 0.0321389 0.0879653 0.357712 0.0745492 0.0755607 0.0224163 0.0694342
0.0988556 0.0394592 0.0348547 0.0490124 0.0394759 0.661444 0.0422084 0.0127023 0.0219871
0.0263677 0.0126787 0.0191017 0.0223277 0.0289812 0.00687731 0.832071 0.0287218 0.0228729
0.107435 0.0293451 0.0158435 0.0246071 0.053896 0.0182684 0.0714749 0.622811 0.0563187
EOD

# --- Look
set title 'Layer 3, head 5: attention to the previous token (illustrative data)' font ",26"
set xlabel 'key token'
set ylabel 'query token'
low = 0
high = 1
set cbrange [low:high]
set palette defined (0 "#ffffff", 0.125 "#eff3ff", 0.25 "#c6dbef", 0.375 "#9ecae1", 0.5 "#6baed6", 0.625 "#4292c6", 0.75 "#2171b5", 0.875 "#08519c", 1 "#08306b")
set cblabel 'attention weight'
set xrange [-0.5:8.5]
set yrange [8.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
set xtics ('[CLS]' 0, 'the' 1, 'cat' 2, '[MASK]' 3, 'on' 4, 'the' 5, 'mat' 6, '##s' 7, '[SEP]' 8) rotate by 45 right font ",18"
set ytics ('[CLS]' 0, 'the' 1, 'cat' 2, '[MASK]' 3, 'on' 4, 'the' 5, 'mat' 6, '##s' 7, '[SEP]' 8) font ",18"
unset key
# Printed values: white on dark cells, black on light ones.
position(v) = (v - low) / (high - low)
dark(v) = position(v) > 0.55

# --- Plot
plot $cells matrix with image pixels, \
     $cells matrix using 1:2:(dark($3) ? sprintf('%.2f', $3) : "") with labels textcolor rgb "#ffffff" font ",15", \
     $cells matrix using 1:2:(dark($3) ? "" : sprintf('%.2f', $3)) with labels textcolor rgb "#000000" font ",15"
