# Proposals per article across the whole document, in article order, coloured by section.
# Filled in by scripts/nightly-report (Python string.Template: $$ is a dollar).
# Data: one block per section of x (document position), proposals, article id.
set terminal pngcairo size 1200,$height noenhanced font "DejaVu Sans,11" background rgb "white"
set output $output
set datafile separator "\t"
set encoding utf8

set title $title font ",14" tc rgb "#1f2d3d" offset 0, 1.2
set xrange [$xmin:$xmax]
set yrange [0:$ymax]
set xtics ($xtics) rotate by 90 right nomirror out scale 0.4 font ",7" tc rgb "#555555"
set ytics 0, $ystep nomirror out scale 0.6 tc rgb "#444444"
set ylabel $ylabel tc rgb "#444444"
set xlabel $xlabel tc rgb "#444444"
set border 3 lw 1 lc rgb "#888888"
set grid ytics lw 1 lc rgb "#e5e7eb"
set key outside below horizontal maxcols 3 Left reverse samplen 1.5 spacing 1.1 font ",10" width 3
set tmargin 4.5
set lmargin 9
set rmargin 3
set style fill solid 0.92 noborder
set boxwidth 0.78 relative

$objects

plot $plot
