# Proposals per day (bars, left axis) and the cumulative share of articles touched (line,
# right axis). Filled in by scripts/nightly-report (Python string.Template: $$ is a dollar).
# Data: epoch seconds at noon UTC, proposals, share in percent, bar colour (0xRRGGBB; the
# report day stands out).
set terminal pngcairo size 1200,500 noenhanced font "DejaVu Sans,11" background rgb "white"
set output $output
set datafile separator "\t"
set encoding utf8

set title $title font ",14" tc rgb "#1f2d3d"
set xdata time
set timefmt "%s"
set format x $xformat
set xrange [$xmin:$xmax]
set xtics $xstart, $xstep nomirror out scale 0.6 tc rgb "#444444"
unset mxtics
set yrange [0:$ymax]
set ytics 0, $ystep nomirror out scale 0.6 tc rgb "#444444"
set y2range [0:104]
set y2tics 0, 20, 100 out scale 0.6 format "%.0f%%" tc rgb "#b03a3e"
set ylabel $ylabel tc rgb "#444444"
set y2label $y2label tc rgb "#b03a3e"
set border 11 lw 1 lc rgb "#888888"
set grid ytics lw 1 lc rgb "#e5e7eb"
set key outside below center horizontal samplen 2.5 spacing 1.2 width 2 font ",10"
set lmargin 10
set rmargin 11
set bmargin 5
set style fill solid 0.9 noborder
set boxwidth 0.78 * 86400 absolute

set style textbox opaque fc rgb "white" noborder margins 2, 1
set label 1 $last_label at first $last_x, second $last_y offset -0.6, $label_dy right font ",11" tc rgb "#b03a3e" front boxed

plot $data using 1:2:4 with boxes lc rgb variable title $bars, \
     $data using 1:3 axes x1y2 with $share_style lw 2.5 pt 7 ps 0.7 lc rgb "#c44e52" \
       title $line
