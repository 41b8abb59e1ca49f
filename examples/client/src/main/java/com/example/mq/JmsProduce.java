package com.example.mq;

import javax.jms.Connection;
import javax.jms.JMSException;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;

public class JmsProduce {
    public static final String ACTIVEMQ_URL = "failover:(tcp://192.168.111.136:61616,"
            + "tcp://192.168.111.136:61617,tcp://192.168.111.136:61618)?randomize=false";
    public static final String QUEUE_NAME = "queue-cluster";

    public static void main(String[] args) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ACTIVEMQ_URL);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(QUEUE_NAME);
            MessageProducer producer = session.createProducer(queue);
            for (int i = 1; i <= 3; i++) {
                TextMessage message = session.createTextMessage("msg---" + i);
                producer.send(message);
            }
        }
    }
}
