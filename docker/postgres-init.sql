-- One database per bridge, owned by POSTGRES_USER (compose.yaml): the postgres image runs this
-- once, when its data volume is empty.
CREATE DATABASE mxbridges_whatsapp;
CREATE DATABASE mxbridges_telegram;
