# Coverage map: one cell per article, one row group per section, shaded by the number of
# proposals (log scale); untouched articles grey, repealed ones hatched. Filled in by scripts/nightly-report
# (Python string.Template: $$ is a dollar).
# Data: x, y, proposals, article id, label colour (touched); x, y, article id (others).
set terminal pngcairo size $width,$height noenhanced font "DejaVu Sans,11" background rgb "white"
set output $output
set datafile separator "\t"
set encoding utf8

set title $title font ",14" tc rgb "#1f2d3d"
set xrange [$xmin:$xmax]
set yrange [$ymin:$ymax]
set size ratio -1
unset xtics
unset ytics
unset border
unset key
set lmargin 1
set rmargin 12
set tmargin 3
set bmargin 1

set palette defined (0 "#dbe9f6", 0.25 "#9ecae1", 0.5 "#4292c6", 0.75 "#2166ac", 1 "#08306b")
set logscale cb
set cbrange [1:$cbmax]
set cbtics ($cbtics) out scale 0.5 tc rgb "#444444"
unset mcbtics
set cblabel $cblabel tc rgb "#444444"
set colorbox vertical user origin graph 1.03, graph 0.15 size character 2, graph 0.7

$labels

half = 0.46
plot "map-zero.tsv" using 1:2:(half):(half) with boxxyerror fs solid 1.0 border lc rgb "#d4d8dd" fc rgb "#f1f3f5", \
     "map-repealed.tsv" using 1:2:(half):(half) with boxxyerror fs pattern 4 border lc rgb "#b0b5bb" fc rgb "#b0b5bb", \
     "map-touched.tsv" using 1:2:(half):(half):3 with boxxyerror fs solid 1.0 noborder fc palette, \
     "map-zero.tsv" using 1:2:3 with labels font ",9" tc rgb "#8a939c", \
     "map-repealed.tsv" using 1:2:3 with labels font ",9" tc rgb "#6b7280", \
     "map-touched.tsv" using 1:2:4:5 with labels font ",10" tc rgb variable
