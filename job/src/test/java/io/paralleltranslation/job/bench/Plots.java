package io.paralleltranslation.job.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain SVG charts for {@link CompareReport}: no plotting library is needed (nor served) to draw a
 * few lines and bars, and SVG renders on GitHub and in any browser.
 */
final class Plots {
    private static final int W = 760;
    private static final int H = 340;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;
    private static final Map<String, String> COLORS = Map.of("sequential", "#7f7f7f", "naive", "#d62728",
            "ours", "#1f77b4");

    private Plots() {}

    /** Cumulative requests answered 200 over time per contender, 429s as ticks, and the quota's staircase. */
    static String requestsOverTime(CompareReport.Scenario s) {
        double maxT = 1;
        int maxY = 1;
        for (CompareReport.Run r : s.runs.values()) {
            int ok = 0;
            for (long[] q : r.requests) {
                maxT = Math.max(maxT, (q[0] + q[2]) / 1000.0);
                ok += q[1] == 200 ? 1 : 0;
            }
            maxY = Math.max(maxY, ok);
        }
        Chart c = new Chart(s.name + ": requests reaching Gemini (cumulative answered 200; ticks: 429)",
                "seconds since the first request", "requests", maxT, maxY);
        if (s.rpm > 0) {
            List<double[]> stairs = new ArrayList<>();
            for (double t = 0; t <= maxT; t += 60) {
                stairs.add(new double[] {t, Math.min(maxY, s.rpm * (t / 60 + 1))});
                stairs.add(new double[] {Math.min(maxT, t + 60), Math.min(maxY, s.rpm * (t / 60 + 1))});
            }
            c.line(stairs, "#2ca02c", "quota (" + s.rpm + " RPM)", true);
        }
        for (CompareReport.Run r : s.runs.values()) {
            List<double[]> points = new ArrayList<>();
            int ok = 0;
            points.add(new double[] {0, 0});
            for (long[] q : r.requests) {
                if (q[1] == 200) {
                    ok++;
                    points.add(new double[] {q[0] / 1000.0, ok});
                } else if (q[1] == 429) {
                    c.tick(q[0] / 1000.0, COLORS.get(r.contender));
                }
            }
            c.line(points, COLORS.get(r.contender), r.contender + " (" + r.count429 + " x 429)", false);
        }
        return c.svg();
    }

    /** Calls Gemini held at once over time, per contender. */
    static String inFlight(CompareReport.Scenario s) {
        double maxT = 1;
        int maxY = 1;
        Map<String, List<double[]>> series = new java.util.LinkedHashMap<>();
        for (CompareReport.Run r : s.runs.values()) {
            List<long[]> events = new ArrayList<>();
            for (long[] q : r.requests) {
                events.add(new long[] {q[0], 1});
                events.add(new long[] {q[0] + q[2], -1});
            }
            events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            List<double[]> points = new ArrayList<>();
            int level = 0;
            for (long[] e : events) {
                points.add(new double[] {e[0] / 1000.0, level});
                level += (int) e[1];
                points.add(new double[] {e[0] / 1000.0, level});
                maxY = Math.max(maxY, level);
                maxT = Math.max(maxT, e[0] / 1000.0);
            }
            series.put(r.contender, points);
        }
        Chart c = new Chart(s.name + ": calls in flight at Gemini", "seconds since the first request", "calls",
                maxT, maxY);
        series.forEach((name, points) -> c.line(points, COLORS.get(name), name, false));
        return c.svg();
    }

    /** Each document's time from submission to its outcome, per contender; a cross for one that failed. */
    static String documentTimes(CompareReport.Scenario s) {
        int docs = 1;
        double maxT = 1;
        for (CompareReport.Run r : s.runs.values()) {
            docs = Math.max(docs, r.documentSeconds.size());
            for (double d : r.documentSeconds) {
                maxT = Double.isNaN(d) ? maxT : Math.max(maxT, d);
            }
        }
        Chart c = new Chart(s.name + ": each document's time to its outcome (x: did not complete)",
                "document, in submission order", "seconds", docs + 1, maxT, true);
        int k = 0;
        for (CompareReport.Run r : s.runs.values()) {
            for (int i = 0; i < r.documentSeconds.size(); i++) {
                double x = i + 0.7 + 0.3 * k;
                double d = r.documentSeconds.get(i);
                if (Double.isNaN(d)) {
                    c.cross(x, COLORS.get(r.contender));
                } else {
                    c.bar(x, 0.25, d, COLORS.get(r.contender));
                }
            }
            c.legend(r.contender, COLORS.get(r.contender));
            k++;
        }
        return c.svg();
    }

    /** A minimal chart: linear axes from 0, lines, bars, ticks, a legend. */
    private static final class Chart {
        private final StringBuilder body = new StringBuilder();
        private final double maxX;
        private final double maxY;
        private int legends;
        /** Label the x axis at whole numbers 1..maxX-1 (documents) instead of five even steps. */
        private final boolean integerX;

        Chart(String title, String xLabel, String yLabel, double maxX, double maxY) {
            this(title, xLabel, yLabel, maxX, maxY, false);
        }

        Chart(String title, String xLabel, String yLabel, double maxX, double maxY, boolean integerX) {
            this.integerX = integerX;
            this.maxX = integerX ? maxX : niceCeil(maxX);
            this.maxY = niceCeil(maxY);
            body.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14' font-weight='bold'>%s</text>%n",
                    LEFT, escape(title)));
            int plotW = W - LEFT - RIGHT;
            int plotH = H - TOP - BOTTOM;
            body.append(String.format(Locale.ROOT,
                    "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>%n", LEFT, TOP, plotW, plotH));
            for (int i = 0; i <= 5; i++) {
                double yv = this.maxY * i / 5;
                body.append(String.format(Locale.ROOT,
                        "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>%n", LEFT - 6, y(yv) + 4,
                        label(yv)));
                body.append(String.format(Locale.ROOT,
                        "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", LEFT, y(yv), W - RIGHT, y(yv)));
            }
            body.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n",
                    LEFT + plotW / 2, H - 8, escape(xLabel)));
            body.append(String.format(Locale.ROOT,
                    "<text x='14' y='%d' font-size='12' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>%n",
                    TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        }

        private void xLabels() {
            if (integerX) {
                for (int i = 1; i < maxX; i++) {
                    xLabel(i);
                }
            } else {
                for (int i = 0; i <= 5; i++) {
                    xLabel(maxX * i / 5);
                }
            }
        }

        private void xLabel(double xv) {
            body.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n",
                    x(xv), H - BOTTOM + 16, label(xv)));
        }

        double x(double v) {
            return LEFT + (W - LEFT - RIGHT) * v / maxX;
        }

        double y(double v) {
            return H - BOTTOM - (H - TOP - BOTTOM) * v / maxY;
        }

        void line(List<double[]> points, String color, String name, boolean dashed) {
            StringBuilder d = new StringBuilder();
            for (double[] p : points) {
                d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x(p[0]), y(p[1])));
            }
            body.append(String.format(Locale.ROOT, "<path d='%s' fill='none' stroke='%s' stroke-width='2'%s/>%n", d,
                    color, dashed ? " stroke-dasharray='6 4'" : ""));
            legend(name, color);
        }

        void tick(double xv, String color) {
            body.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='%s'/>%n", x(xv),
                    H - BOTTOM, x(xv), H - BOTTOM - 8, color));
        }

        void bar(double xv, double width, double height, String color) {
            double w = x(width) - x(0);
            body.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n",
                    x(xv) - w / 2, y(height), w, y(0) - y(height), color));
        }

        void cross(double xv, String color) {
            double cx = x(xv);
            double cy = y(0) - 8;
            body.append(String.format(Locale.ROOT,
                    "<path d='M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f' stroke='%s' stroke-width='2'/>%n", cx - 5,
                    cy - 5, cx + 5, cy + 5, cx - 5, cy + 5, cx + 5, cy - 5, color));
        }

        void legend(String name, String color) {
            int ly = TOP + 10 + 18 * legends++;
            body.append(String.format(Locale.ROOT,
                    "<rect x='%d' y='%d' width='12' height='12' fill='%s'/><text x='%d' y='%d' font-size='12'>%s</text>%n",
                    W - RIGHT + 10, ly - 10, color, W - RIGHT + 28, ly, escape(name)));
        }

        String svg() {
            xLabels();
            return String.format(Locale.ROOT,
                    "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n"
                            + "<rect width='100%%' height='100%%' fill='white'/>%n%s</svg>%n", W, H, body);
        }

        private static double niceCeil(double v) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
            for (double step : new double[] {1, 2, 2.5, 5, 10}) {
                if (step * magnitude >= v) {
                    return step * magnitude;
                }
            }
            return 10 * magnitude;
        }

        private static String label(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
