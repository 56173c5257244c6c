package io.churn.sink;

import io.churn.hadoop.HadoopFiles;
import io.churn.pbt.Metric;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * A PBT job's {@code output.csv} as CANDLE's PBT workflow writes it ({@code PBTMetaDataStore.write_data}
 * in {@code Supervisor/workflows/pbt/python/pbt.py}), so scripts written for CANDLE read it: one row
 * per member and epoch, with the keys of the record each CANDLE member puts after an epoch
 * ({@code PBTCallback.on_epoch_end} and {@code ModelWorker.pack_data}): {@code epoch} (from 0, from
 * the start of the job, as Keras counts), {@code rank} (the member; CANDLE's ranks start at 1, its
 * rank 0 being the data store), {@code lr}, {@code score} (the job's metric; CANDLE's is
 * {@code val_loss}), and Keras' logs {@code loss}, {@code acc}, {@code val_loss}, {@code val_acc}
 * (Churn's train and test split; accuracy empty for a regression). Rows by epoch, then rank;
 * numbers as Python writes them ({@code "{}".format(x)}).
 */
public final class CandleOutput {

    /** The header, in the order CANDLE's records list their keys. */
    static final List<String> COLUMNS = List.of("epoch", "rank", "lr", "score", "loss", "acc", "val_loss", "val_acc");

    private CandleOutput() {
    }

    /**
     * {@code v} as Python 3 prints a float: the shortest digits that read back as {@code v}, plain
     * from 1e-4 up to 1e16 ({@code 0.00052}, {@code 3.0}), else {@code 5.2e-05}; {@code nan}, {@code inf}.
     */
    static String pythonFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = d.precision() - d.scale() - 1;
        return (v < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "") + "e"
                + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    /** Where job {@code job}'s file goes under {@code resultsUri}. */
    public static String uri(String resultsUri, String job) {
        return ResultDataset.PBT_CANDLE_OUTPUT.partitionUri(resultsUri, job) + "/output.csv";
    }

    /** Writes the job's file from its records (replacing an earlier one, never leaving half a file). */
    public static void write(DatabaseSettings db, String job, Metric metric, String resultsUri) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("select e.epoch, e.member,"
                + " m.learning_rate, e." + metric.specName() + ", e.train_loss, e.train_accuracy, e.test_loss,"
                + " e.test_accuracy from pbt_epoch e join pbt_member m using (pbt, generation, member)"
                + " where e.pbt = ? order by e.epoch, e.member")) {
            s.setString(1, job);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= COLUMNS.size(); i++) {
                        Object v = rs.getObject(i);
                        csv.append(i > 1 ? "," : "").append(v == null ? "" : v instanceof Double d ? pythonFloat(d)
                                : v.toString());
                    }
                    csv.append('\n');
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("reading job " + job + "'s epochs for output.csv from " + db + ": "
                    + e.getMessage(), e);
        }
        Path target = HadoopFiles.path(uri(resultsUri, job));
        HadoopFiles.fileSystem(target).mkdirs(target.getParent());
        HadoopFiles.writeAtomically(target, out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
