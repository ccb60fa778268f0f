/** Descriptions for io.k8s.api.events.v1 (src/api/schemas/api_events_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const E = "io.k8s.api.events.v1";

const API_VERSION = apiVersionText("events.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${E}.Event`]: {
    "": "A report of something that happened to an object, written by a component for people to read; events are kept only for a limited time (an hour by default).",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    eventTime: "When the event first happened, to the microsecond. Required.",
    series: "Counts repeats of this event; unset for an event seen once.",
    reportingController: "The component that reported the event, e.g. \"kubernetes.io/kubelet\". Required for new events.",
    reportingInstance: "Which instance of the reporting component wrote the event, e.g. the kubelet's node name; at most 128 characters.",
    action: "What was done, or failed, about the object, e.g. \"Scheduling\"; at most 128 characters.",
    reason: "Why the action was taken, as a short CamelCase word, e.g. \"FailedScheduling\"; at most 128 characters.",
    regarding: "The object the event is about.",
    related: "A second object involved, if any, such as the node a pod was scheduled to.",
    note: "A human-readable description of what happened; at most 1 kB.",
    type: "\"Normal\" or \"Warning\".",
    deprecatedSource: "The reporting component as core/v1 events give it; kept for compatibility.",
    deprecatedFirstTimestamp: "When the event was first seen, as core/v1 events give it; kept for compatibility.",
    deprecatedLastTimestamp: "When the event was last seen, as core/v1 events give it; kept for compatibility.",
    deprecatedCount: "How often the event was seen, as core/v1 events give it; kept for compatibility.",
  },
  [`${E}.EventList`]: {
    "": "A list of Events.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The Events.",
  },
  [`${E}.EventSeries`]: {
    "": "A repeating event: how often and when last it happened. Each reporter decides how often it updates it.",
    count: "How many times the event has happened so far.",
    lastObservedTime: "When the event was last seen.",
  },
};
