# Scatter plot: Token embeddings, first two principal components (illustrative data)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot embeddings.gp                  writes embeddings.png
#   gnuplot -e "preview=1" embeddings.gp   draws the plot as text in the terminal

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
  set output "embeddings.png"
}

# --- Data: one block per group; columns: x, y

$animals << EOD
# group: animals
3.708 1.6717
2.61475 2.1096
2.1836 2.34037
2.73005 2.34318
1.74344 2.99009
2.84406 2.46491
EOD

$verbs << EOD
# group: verbs
-1.84853 2.72995
-1.98808 3.18903
-3.10542 2.62993
-2.25958 3.03102
-2.07627 2.3385
EOD

$subwords << EOD
# group: subwords
-0.335646 -2.17837
0.831954 -2.64779
0.805947 -1.83879
0.502469 -3.22276
0.930213 -1.89703
EOD

$special_tokens << EOD
# group: special tokens
-2.62542 0.681385
-3.88134 -0.956696
-3.4141 -0.666571
-2.69376 -2.44797
-2.95419 -1.59941
EOD

# --- Look
set title 'Token embeddings, first two principal components (illustrative data)' font ",26"
set xlabel 'component 1'
set ylabel 'component 2'
set border 3 linewidth 1.5
set tics nomirror
set grid linecolor rgb "#dddddd" linewidth 1
set key outside right top spacing 1.3
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08  # room for the labels
set style line 1 linecolor rgb "#0072b2" pointtype 7 pointsize 2
set style line 2 linecolor rgb "#d55e00" pointtype 7 pointsize 2
set style line 3 linecolor rgb "#009e73" pointtype 7 pointsize 2
set style line 4 linecolor rgb "#cc79a7" pointtype 7 pointsize 2

# --- Point labels, just right of each point
set label 1 'cat' at 3.708, 1.6717 offset char 1, char 0.3 font ",17"
set label 2 'dog' at 2.61475, 2.1096 offset char 1, char 0.3 font ",17"
set label 3 'horse' at 2.1836, 2.34037 offset char 1, char 0.3 font ",17"
set label 4 'mouse' at 2.73005, 2.34318 offset char 1, char 0.3 font ",17"
set label 5 '猫' at 1.74344, 2.99009 offset char 1, char 0.3 font ",17"
set label 6 '狗' at 2.84406, 2.46491 offset char 1, char 0.3 font ",17"
set label 7 'sat' at -1.84853, 2.72995 offset char 1, char 0.3 font ",17"
set label 8 'ran' at -1.98808, 3.18903 offset char 1, char 0.3 font ",17"
set label 9 'was' at -3.10542, 2.62993 offset char 1, char 0.3 font ",17"
set label 10 'is' at -2.25958, 3.03102 offset char 1, char 0.3 font ",17"
set label 11 'lay' at -2.07627, 2.3385 offset char 1, char 0.3 font ",17"
set label 12 '##s' at -0.335646, -2.17837 offset char 1, char 0.3 font ",17"
set label 13 '##ing' at 0.831954, -2.64779 offset char 1, char 0.3 font ",17"
set label 14 '##ed' at 0.805947, -1.83879 offset char 1, char 0.3 font ",17"
set label 15 '##able' at 0.502469, -3.22276 offset char 1, char 0.3 font ",17"
set label 16 'un' at 0.930213, -1.89703 offset char 1, char 0.3 font ",17"
set label 17 '[CLS]' at -2.62542, 0.681385 offset char 1, char 0.3 font ",17"
set label 18 '[SEP]' at -3.88134, -0.956696 offset char 1, char 0.3 font ",17"
set label 19 '[MASK]' at -3.4141, -0.666571 offset char 1, char 0.3 font ",17"
set label 20 '[PAD]' at -2.69376, -2.44797 offset char 1, char 0.3 font ",17"
set label 21 '[UNK]' at -2.95419, -1.59941 offset char 1, char 0.3 font ",17"

# --- Plot
plot $animals using 1:2 with points linestyle 1 title 'animals', \
     $verbs using 1:2 with points linestyle 2 title 'verbs', \
     $subwords using 1:2 with points linestyle 3 title 'subwords', \
     $special_tokens using 1:2 with points linestyle 4 title 'special tokens'
