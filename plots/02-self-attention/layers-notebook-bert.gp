# Grid of heatmaps: Trained: notebook-bert, mean over heads
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot layers-notebook-bert.gp                  writes layers-notebook-bert.png
#   gnuplot -e "preview=1" layers-notebook-bert.gp   draws the plot as text in the terminal

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
  set output "layers-notebook-bert.png"
}

# --- Data: one block per panel ($panel_<row>_<column>), one line per matrix row

$panel_1_1 << EOD
# panel: layer 1
0.0022254 0.116531 0.017559 0.0117526 0.281271 0.0119431 0.108042 0.415324 0.00443889 0.0229501 0.00796342
0.036817 0.0156036 0.0968857 0.36937 0.0372386 0.0292588 0.000626937 0.0135566 0.141282 0.231272 0.0280896
0.112915 0.091392 0.0272362 0.212427 0.171348 0.247273 0.0163555 0.0422671 0.0155042 0.033129 0.0301538
0.00730879 0.243924 0.0120028 0.0102315 0.32507 0.0110933 0.04406 0.288186 0.0143571 0.0306315 0.0131346
0.00650128 0.0482135 0.447019 0.0490271 0.079102 0.101762 0.0471458 0.139275 0.0156705 0.057634 0.00864966
0.012265 0.130286 0.0163321 0.0097049 0.0398101 0.0254604 0.423987 0.263855 0.00976083 0.0337052 0.0348338
0.0151876 0.124975 0.0734698 0.109605 0.0274734 0.0695807 0.145128 0.282917 0.0267465 0.101109 0.0238087
0.0473364 0.0101559 0.0340963 0.0943339 0.08043 0.0261334 0.00266846 0.0074777 0.148804 0.0970197 0.451545
0.0238587 0.0816687 0.0361001 0.0422429 0.0373159 0.0713353 0.147816 0.217927 0.0144902 0.146039 0.181206
0.0156787 0.0975066 0.0149922 0.0180122 0.0665994 0.00159687 0.0348485 0.149385 0.0438385 0.0326318 0.52491
0.0380531 0.0285984 0.125891 0.0933091 0.0463158 0.0546202 0.112806 0.117816 0.0590643 0.04075 0.282775
EOD

$panel_1_2 << EOD
# panel: layer 2
0.0344794 0.0575041 0.216721 0.0433401 0.160036 0.014861 0.0242604 0.0383998 0.176134 0.134506 0.099758
0.054883 0.0787229 0.102843 0.0486608 0.0825583 0.182422 0.0415472 0.217854 0.0872954 0.0402765 0.0629367
0.125839 0.156612 0.00546806 0.371886 0.00478045 0.0250733 0.0356638 0.246899 0.00646198 0.0133106 0.00800522
0.0617933 0.153743 0.310791 0.0539919 0.161324 0.0100616 0.0309279 0.0281516 0.0354319 0.05242 0.101364
0.0995234 0.0324124 0.0235599 0.380809 0.0339512 0.21037 0.130919 0.0329357 0.0110625 0.0158884 0.0285682
0.0491912 0.0800581 0.0242811 0.0254482 0.0298825 0.233035 0.375799 0.0911219 0.0125319 0.0391788 0.0394721
0.0192734 0.066301 0.0158757 0.00405136 0.0462503 0.66652 0.0400139 0.0657237 0.0179231 0.0471712 0.0108964
0.123918 0.0433385 0.0116891 0.0746209 0.031178 0.277633 0.10663 0.016372 0.194286 0.0711527 0.0491819
0.0035876 0.0321153 0.0246435 0.00683397 0.0221021 0.00504259 0.0336166 0.447968 0.0359003 0.363042 0.0251474
0.031533 0.0570434 0.0242408 0.0241522 0.021755 0.0476886 0.03707 0.310756 0.228616 0.0567065 0.160438
0.00501885 0.012545 0.00831718 0.00395897 0.00862845 0.0130459 0.00190531 0.020863 0.407604 0.509398 0.00871527
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
set multiplot layout 1,2 title 'Trained: notebook-bert, mean over heads' font ",28" margins 0.184466,0.76699,0.232143,0.767857 spacing 0.0116505,0.0857143

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
