package cairn;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends one scenario through analytics-java: identify a previous id, alias it to the user, put the
 * user into an account with a group call, then tracks that name no account (timestamps in the past).
 * Prints one line per message the library reports (ok / failed) and exits 0 when all were sent.
 * Arguments: host writeKey prefix tracks startEpochMs
 */
public final class SegmentJavaClient {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    String writeKey = args[1];
    String p = args[2];
    int tracks = Integer.parseInt(args[3]);
    long start = Long.parseLong(args[4]);
    int total = 3 + tracks;
    CountDownLatch done = new CountDownLatch(total);
    int[] failures = {0};
    Analytics analytics = Analytics.builder(writeKey)
        .endpoint(host)
        .flushQueueSize(total)
        .flushInterval(60, TimeUnit.SECONDS)
        .callback(new Callback() {
          @Override public void success(Message message) {
            System.out.println("ok " + message.type() + " " + message.messageId());
            done.countDown();
          }
          @Override public void failure(Message message, Throwable error) {
            System.out.println("failed " + message.type() + " " + message.messageId() + " " + error);
            failures[0]++;
            done.countDown();
          }
        })
        .build();
    analytics.enqueue(IdentifyMessage.builder().userId(p + "-prev")
        .traits(Map.of("email", p + "@java.example", "name", "Java Person"))
        .messageId(p + "-identify").timestamp(new Date(start)));
    analytics.enqueue(AliasMessage.builder(p + "-prev").userId(p + "-user").messageId(p + "-alias").timestamp(new Date(start + 1000)));
    analytics.enqueue(GroupMessage.builder(p + "-co").userId(p + "-user")
        .traits(Map.of("name", "Java Co", "plan", "enterprise"))
        .messageId(p + "-group").timestamp(new Date(start + 2000)));
    for (int i = 0; i < tracks; i++) {
      analytics.enqueue(TrackMessage.builder(i % 2 == 0 ? "Report Exported" : "Dashboard Viewed").userId(p + "-user")
          .properties(Map.of("n", i)).messageId(p + "-track-" + i).timestamp(new Date(start + 3000 + i * 1000L)));
    }
    analytics.flush();
    boolean all = done.await(60, TimeUnit.SECONDS);
    analytics.shutdown();
    System.out.println("done " + (all ? "all" : "timeout") + " failures=" + failures[0]);
    System.exit(all && failures[0] == 0 ? 0 : 1);
  }
}
