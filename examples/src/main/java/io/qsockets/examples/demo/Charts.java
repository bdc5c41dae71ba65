package io.qsockets.examples.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/** Writes the demo's PNG charts (headless). */
final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 420;

    private Charts() {
    }

    /**
     * A line chart over seconds, with the perturbation's start and end marked.
     *
     * @param series name → y value per second
     */
    static void lines(Path file, String title, String yTitle, Map<String, double[]> series, int perturbationStart,
            int perturbationEnd) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("time (s)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS).setMarkerSize(5);
        series.forEach((name, ys) -> {
            double[] xs = new double[ys.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i + 0.5;
            }
            chart.addSeries(name, xs, ys);
        });
        chart.addAnnotation(new AnnotationLine(perturbationStart, true, false));
        if (perturbationEnd > perturbationStart) {
            chart.addAnnotation(new AnnotationLine(perturbationEnd, true, false));
        }
        BitmapEncoder.saveBitmap(chart, strip(file), BitmapFormat.PNG);
    }

    /**
     * A bar chart per second.
     *
     * @param series name → value per second
     */
    static void bars(Path file, String title, String yTitle, Map<String, double[]> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("second of the run (readings taken in it)").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        series.forEach((name, ys) -> {
            List<Integer> xs = new java.util.ArrayList<>();
            List<Double> values = new java.util.ArrayList<>();
            for (int i = 0; i < ys.length; i++) {
                xs.add(i);
                values.add(ys[i]);
            }
            chart.addSeries(name, xs, values);
        });
        BitmapEncoder.saveBitmap(chart, strip(file), BitmapFormat.PNG);
    }

    /** XChart appends ".png" itself. */
    private static String strip(Path file) {
        String s = file.toString();
        return s.endsWith(".png") ? s.substring(0, s.length() - 4) : s;
    }
}
