# Grid of heatmaps: Untrained BERT (2 layers), mean over heads
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot layers-notebook-bert-untrained.gp                  writes layers-notebook-bert-untrained.png
#   gnuplot -e "preview=1" layers-notebook-bert-untrained.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 160,60 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1030,560 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 1030,560 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "layers-notebook-bert-untrained.png"
}

# --- Data: one block per panel ($panel_<row>_<column>), one line per matrix row

$panel_1_1 << EOD
# panel: layer 1
0.086965 0.0914843 0.0885551 0.090593 0.0939997 0.0967477 0.0914605 0.0902728 0.0888315 0.0914471 0.0896432
0.0885774 0.0912199 0.0889186 0.0954555 0.0922054 0.092458 0.0916575 0.0881641 0.088494 0.0939254 0.0889242
0.0895779 0.0895772 0.0901325 0.0934146 0.0910912 0.0941475 0.0924258 0.0902144 0.0920672 0.0900062 0.0873454
0.091242 0.0926721 0.0917264 0.0892342 0.0916285 0.0942927 0.0878233 0.0942956 0.0905816 0.0873744 0.0891293
0.0897998 0.0923454 0.0898721 0.0906623 0.0935789 0.0926417 0.0898316 0.0939008 0.0902804 0.0885088 0.0885783
0.0889223 0.0894933 0.0905758 0.0912193 0.0940661 0.0936679 0.0937535 0.0915284 0.08799 0.0914045 0.0873789
0.0905745 0.0902871 0.092336 0.0915002 0.0929523 0.0938841 0.0897255 0.0920218 0.0893727 0.0890879 0.0882581
0.0893457 0.0911509 0.0881708 0.0925023 0.0982536 0.0918954 0.0975597 0.0897019 0.0823726 0.0902092 0.088838
0.0897716 0.0881808 0.0922841 0.0921958 0.0907305 0.0938646 0.0922216 0.0869245 0.0895183 0.093145 0.0911632
0.0899834 0.0912314 0.0890837 0.0881283 0.0927447 0.0938354 0.0896133 0.0942456 0.0900495 0.0899565 0.0911282
0.0919496 0.0896314 0.092511 0.0888712 0.0894352 0.0975084 0.0886167 0.0911766 0.0909176 0.0905193 0.088863
EOD

$panel_1_2 << EOD
# panel: layer 2
0.0894617 0.0934452 0.0869274 0.0910774 0.0920535 0.0928918 0.0919448 0.0903214 0.08999 0.0892434 0.0926433
0.0913136 0.092915 0.0873363 0.092758 0.0905658 0.0877415 0.0921853 0.0917668 0.0892144 0.0912965 0.0929068
0.0913578 0.0894319 0.0874429 0.0941783 0.0901236 0.0910455 0.0935279 0.0915889 0.0907943 0.0882327 0.0922762
0.091256 0.0920292 0.0901284 0.0886759 0.0893969 0.0939972 0.0903568 0.0911957 0.0933701 0.0904301 0.0891638
0.0880632 0.0904582 0.0852994 0.092371 0.0890996 0.0920812 0.0959125 0.0916515 0.0932638 0.0887743 0.0930252
0.0886378 0.0952221 0.0903903 0.0908527 0.0900341 0.0923225 0.0907504 0.091271 0.0896418 0.0886693 0.0922082
0.0938944 0.093656 0.0840897 0.0895471 0.0925936 0.0936696 0.0936715 0.0910942 0.0879583 0.0893562 0.0904695
0.0901807 0.0938167 0.0887972 0.0904392 0.09245 0.090136 0.0927515 0.0910724 0.0894433 0.0910187 0.0898943
0.093128 0.0983855 0.0905698 0.0898712 0.0899687 0.0890459 0.0925765 0.0928263 0.0870146 0.0894426 0.0871709
0.0917141 0.0908234 0.0887682 0.0931341 0.0914082 0.092343 0.0925281 0.0892005 0.0888294 0.0909263 0.0903247
0.0887132 0.0917808 0.0911221 0.091861 0.0896786 0.0906383 0.0932797 0.0918262 0.0900295 0.0903431 0.0907277
EOD

# --- Look shared by every panel
low = 0
high = 1
set cbrange [low:high]
set palette defined (0 "#ffffff", 0.125 "#eff3ff", 0.25 "#c6dbef", 0.375 "#9ecae1", 0.5 "#6baed6", 0.625 "#4292c6", 0.75 "#2171b5", 0.875 "#08519c", 1 "#08306b")
set cblabel 'attention weight'
set xrange [-0.5:10.5]
set yrange [10.5:-0.5]  # row 0 at the top
set size ratio -1  # square cells
set tics scale 0
unset key
unset colorbox
unset xtics
unset ytics
set multiplot layout 1,2 title 'Untrained BERT (2 layers), mean over heads' font ",28" margins 0.184466,0.76699,0.232143,0.767857 spacing 0.0116505,0.0857143

# --- Panels, row by row; row labels on the left column, column labels on the bottom row

set title 'layer 1' font ",16" offset 0,-0.6
set ytics ('[CLS]' 0, 'the' 1, 'quick' 2, 'brown' 3, 'fox' 4, 'jumps' 5, 'over' 6, 'the' 7, 'lazy' 8, 'dog' 9, '[SEP]' 10) font ",12"
set xtics ('[CLS]' 0, 'the' 1, 'quick' 2, 'brown' 3, 'fox' 4, 'jumps' 5, 'over' 6, 'the' 7, 'lazy' 8, 'dog' 9, '[SEP]' 10) rotate by 45 right font ",12"
plot $panel_1_1 matrix with image pixels

# The shared colour bar, drawn with the last panel, right of the grid.
set colorbox user origin screen 0.815534, screen 0.232143 size screen 0.0291262, screen 0.535714
set title 'layer 2' font ",16" offset 0,-0.6
unset ytics
plot $panel_1_2 matrix with image pixels

unset multiplot
