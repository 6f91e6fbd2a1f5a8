# Heatmap: Self-attention A = softmax(Q K^T / sqrt(d_k)), one head, d_k = 4 (seed 42)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot attention-matrix.gp                  writes attention-matrix.png
#   gnuplot -e "preview=1" attention-matrix.gp   draws the plot as text in the terminal

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
  set output "attention-matrix.png"
}

# --- Data: one line per row (top to bottom), one number per column (left to right)
$cells << EOD
0.183007 0.0187853 0.0888657 0.0964357 0.0172753 0.0534783 0.183007 0.203126 0.156019
0.0604653 0.0372469 0.207498 0.0795447 0.0782156 0.0676989 0.0604653 0.27555 0.133316
0.173285 0.0855106 0.0616141 0.0996177 0.091922 0.0584598 0.173285 0.0777066 0.178598
0.165323 0.0704532 0.0702211 0.105188 0.0658974 0.0642029 0.165323 0.114784 0.178609
0.173434 0.0145595 0.0948356 0.0712856 0.0362974 0.0252732 0.173434 0.15132 0.259562
0.203047 0.0583458 0.075391 0.100267 0.0729437 0.0611964 0.203047 0.0720412 0.153721
0.183007 0.0187853 0.0888657 0.0964357 0.0172753 0.0534783 0.183007 0.203126 0.156019
0.0584547 0.143567 0.110079 0.0862157 0.196253 0.0815081 0.0584547 0.133962 0.131506
0.0884299 0.0137606 0.124881 0.0689175 0.0249696 0.0330463 0.0884299 0.352821 0.204744
EOD

# --- Look
set title 'Self-attention A = softmax(Q K\^T / sqrt(d\_k)), one head, d\_k = 4 (seed 42)' font ",26"
set xlabel 'key word (attended to)'
set ylabel 'query word (attending)'
low = 0.0137606
high = 0.352821
set cbrange [low:high]
set palette defined (0 "#ffffff", 0.125 "#eff3ff", 0.25 "#c6dbef", 0.375 "#9ecae1", 0.5 "#6baed6", 0.625 "#4292c6", 0.75 "#2171b5", 0.875 "#08519c", 1 "#08306b")
set cblabel 'attention weight'
set xrange [-0.5:8.5]
set yrange [8.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
set xtics ('The' 0, 'quick' 1, 'brown' 2, 'fox' 3, 'jumps' 4, 'over' 5, 'the' 6, 'lazy' 7, 'dog' 8) rotate by 45 right font ",18"
set ytics ('The' 0, 'quick' 1, 'brown' 2, 'fox' 3, 'jumps' 4, 'over' 5, 'the' 6, 'lazy' 7, 'dog' 8) font ",18"
unset key
# Printed values: white on dark cells, black on light ones.
position(v) = (v - low) / (high - low)
dark(v) = position(v) > 0.55

# --- Plot
plot $cells matrix with image pixels, \
     $cells matrix using 1:2:(dark($3) ? sprintf('%.2f', $3) : "") with labels textcolor rgb "#ffffff" font ",15", \
     $cells matrix using 1:2:(dark($3) ? "" : sprintf('%.2f', $3)) with labels textcolor rgb "#000000" font ",15"
