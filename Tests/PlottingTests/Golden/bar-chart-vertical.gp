# Bar chart: Change in loss
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot bar-chart-vertical.gp                  writes bar-chart-vertical.svg
#   gnuplot -e "preview=1" bar-chart-vertical.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  set terminal svg size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  set output "bar-chart-vertical.svg"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.25 0
1 -0.5 0
EOD

# --- Look
set title 'Change in loss' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.00975
set ylabel 'change'
set xlabel 'run'
set yrange [-0.6125:0.3625]
set xrange [-0.5:1.5]
set xtics ('up\_1' 0, 'down' 1) rotate by 45 right
set grid ytics linecolor rgb "#dddddd"
set boxwidth 0.7

# --- Plot: a box per value, then the values above them
plot $bars using 1:2:($3 > 0 ? highlightColor : barColor) with boxes linecolor rgb variable, \
     $bars using 1:($2 > 0 ? $2 + pad : pad):(sprintf('%+.2f', $2)) with labels center offset 0,0.5 font ",17"
