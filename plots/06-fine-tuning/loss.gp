# Line plot: Fine-tuning loss (seed 42)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot loss.gp                  writes loss.png
#   gnuplot -e "preview=1" loss.gp   draws the plot as text in the terminal

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
  set output "loss.png"
}

# --- Data: one block per series

$pretrained_training << EOD
# series: pretrained: training
# columns: x, y
5 0.703407
10 0.707807
15 0.699685
20 0.684858
25 0.700637
30 0.667556
35 0.702213
40 0.622666
45 0.599547
50 0.549322
55 0.422211
60 0.445938
65 0.314299
70 0.23786
75 0.160028
EOD

$pretrained_dev << EOD
# series: pretrained: dev
# columns: x, y
5 0.694669
10 0.692864
15 0.685652
20 0.682569
25 0.660748
30 0.662149
35 0.645426
40 0.617234
45 0.512614
50 0.445752
55 0.299182
60 0.231624
65 0.167418
70 0.140698
75 0.131018
EOD

$random_init_training << EOD
# series: random init: training
# columns: x, y
5 0.701836
10 0.71316
15 0.70519
20 0.694726
25 0.706242
30 0.691169
35 0.683081
40 0.667671
45 0.514976
50 0.285954
55 0.155808
60 0.0915974
65 0.0590624
70 0.0462558
75 0.081187
EOD

$random_init_dev << EOD
# series: random init: dev
# columns: x, y
5 0.693392
10 0.707955
15 0.69298
20 0.697715
25 0.692427
30 0.688849
35 0.676762
40 0.60321
45 0.362488
50 0.201403
55 0.127608
60 0.0929817
65 0.0778476
70 0.0716889
75 0.0700306
EOD

# --- Look
set title 'Fine-tuning loss (seed 42)' font ",26"
set xlabel 'step'
set ylabel 'cross-entropy (nats)'
set border 3 linewidth 1.5
set tics nomirror
set grid linecolor rgb "#dddddd" linewidth 1
set key top right spacing 1.3
set style line 1 linecolor rgb "#0072b2" linewidth 4 pointtype 7 pointsize 1.5
set style line 2 linecolor rgb "#d55e00" linewidth 4 pointtype 7 pointsize 1.5
set style line 3 linecolor rgb "#009e73" linewidth 4 pointtype 7 pointsize 1.5
set style line 4 linecolor rgb "#cc79a7" linewidth 4 pointtype 7 pointsize 1.5

# --- Plot
plot $pretrained_training using 1:2 with lines linestyle 1 title 'pretrained: training', \
     $pretrained_dev using 1:2 with linespoints linestyle 2 title 'pretrained: dev', \
     $random_init_training using 1:2 with lines linestyle 3 title 'random init: training', \
     $random_init_dev using 1:2 with linespoints linestyle 4 title 'random init: dev'
