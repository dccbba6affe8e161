package com.tokenwallet.packaged;

/** EventBridge's PutEvents (JSON 1.1 protocol): every entry accepted. */
final class FakeEventBridge extends RecordingServer {
    static final String PUT_EVENTS = "AWSEvents.PutEvents";

    @Override
    protected Answer answer(Request request) {
        if (!PUT_EVENTS.equals(request.target())) {
            return new Answer(400, "{\"__type\":\"UnknownOperationException\"}", "application/x-amz-json-1.1");
        }
        int entries = request.body().split("\"Source\"", -1).length - 1;
        StringBuilder body = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
        for (int i = 0; i < entries; i++) {
            body.append(i == 0 ? "" : ",").append("{\"EventId\":\"").append(java.util.UUID.randomUUID()).append("\"}");
        }
        return new Answer(200, body.append("]}").toString(), "application/x-amz-json-1.1");
    }
}
