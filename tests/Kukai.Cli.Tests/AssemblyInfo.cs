// These tests start whole kukai processes (targets, Kafka, orchestrators, up to eight drivers) and some measure
// schedules (a tsunami's duration, a stall's percentiles): on a 2-core machine they run one class at a time, so one
// test's load does not distort another's behaviour.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
