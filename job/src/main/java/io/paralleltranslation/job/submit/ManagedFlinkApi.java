package io.paralleltranslation.job.submit;

/**
 * The three calls of the Managed Service for Apache Flink API (kinesisanalyticsv2) the submit tool
 * makes to start an application before it puts records.
 */
interface ManagedFlinkApi {

    /** {@code DescribeApplication}: the application's status, e.g. READY, STARTING, RUNNING, STOPPING. */
    String applicationStatus(String application);

    /** {@code ListApplicationSnapshots} with limit 1: whether the application has any snapshot. */
    boolean hasSnapshots(String application);

    /**
     * {@code StartApplication}: from the latest snapshot when {@code restoreLatestSnapshot}, else
     * without state; never dropping state the job cannot map (AllowNonRestoredState false).
     */
    void startApplication(String application, boolean restoreLatestSnapshot);

    /** An error answer of the API: its type (e.g. ResourceNotFoundException) and message. */
    final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;

        ApiException(String type, String message) {
            super(type + ": " + message);
            this.type = type;
        }
    }
}
