/**
 * Apache Kafka 4.1.1. kafkajs 2.2.4 was checked against it (produce with acks=-1 and the idempotent
 * producer, consumer groups, offset commits, admin create/describe/alter): the request versions
 * kafkajs picks are all still served after Kafka 4.0 dropped the oldest ones (KIP-896).
 * docker-compose.yml uses the apache/kafka image of the same version (a test holds them equal).
 */
export const KAFKA_VERSION = '4.1.1';
