import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly stage: string;
  /** Who is mailed when an alarm fires; without it, subscribe to the topic yourself. */
  readonly alarmEmail?: string;
}

const minutes = (n: number) => Duration.minutes(n);

/**
 * The stack's alarms, all sent to one topic, and one dashboard. Each watched resource adds its
 * alarms and its row of graphs, so a function added later is watched with one call.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.stage = props.stage;
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `CivicGrid ${props.stage} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `civicgrid-${props.stage}`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# CivicGrid (${props.stage})\nAPI, functions, queues and the table. Alarms go to the SNS topic \`${this.topic.node.id}\`.`,
        width: 24,
        height: 2,
      }),
    );
  }

  alarm(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods = 1): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `${description} (${this.stage})`,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      // No data means nothing happened: no errors, no messages, no requests.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  watchApi(api: HttpApi): void {
    const requests = api.metricCount({ period: minutes(5), statistic: 'Sum' });
    const serverErrors = api.metricServerError({ period: minutes(5), statistic: 'Sum' });
    // A rate rather than a count, so a busy day does not page anyone for a handful of errors.
    const serverErrorRate = new MathExpression({
      label: '5xx %',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      period: minutes(5),
    });
    this.alarm(
      'Api5xxRateAlarm',
      'More than 1% of API requests answered 5xx for 10 minutes',
      serverErrorRate,
      1,
      2,
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [requests, api.metricClientError({ period: minutes(5), statistic: 'Sum' }), serverErrors],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (p50, p99)',
        left: [
          api.metricLatency({ period: minutes(5), statistic: 'p50' }),
          api.metricLatency({ period: minutes(5), statistic: 'p99' }),
        ],
        width: 12,
      }),
    );
  }

  watchFunction(name: string, fn: IFunction): void {
    const errors = fn.metricErrors({ period: minutes(5), statistic: 'Sum' });
    const throttles = fn.metricThrottles({ period: minutes(5), statistic: 'Sum' });
    this.alarm(`${name}ErrorsAlarm`, `${name}: invocations failed`, errors, 0);
    this.alarm(`${name}ThrottlesAlarm`, `${name}: invocations throttled`, throttles, 0);
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${name}: invocations, errors, throttles`,
        left: [fn.metricInvocations({ period: minutes(5), statistic: 'Sum' }), errors, throttles],
        width: 12,
      }),
      new GraphWidget({
        title: `${name}: duration (p50, p99)`,
        left: [
          fn.metricDuration({ period: minutes(5), statistic: 'p50' }),
          fn.metricDuration({ period: minutes(5), statistic: 'p99' }),
        ],
        width: 12,
      }),
    );
  }

  watchQueue(name: string, queue: IQueue, deadLetterQueue: IQueue): void {
    // Anything in a dead-letter queue is a message the workers gave up on: always worth a look.
    this.alarm(
      `${name}DeadLetterQueueAlarm`,
      `Messages in the ${name} dead-letter queue`,
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: minutes(1), statistic: 'Maximum' }),
      0,
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${name} queue: depth and dead letters`,
        left: [
          queue.metricApproximateNumberOfMessagesVisible({ period: minutes(1), statistic: 'Maximum' }),
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: minutes(1),
            statistic: 'Maximum',
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: `${name} queue: age of oldest message (s)`,
        left: [queue.metricApproximateAgeOfOldestMessage({ period: minutes(1), statistic: 'Maximum' })],
        width: 12,
      }),
    );
  }

  watchTable(table: ITableV2): void {
    const throttleEvents = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName },
        period: minutes(5),
        statistic: 'Sum',
      });
    const throttles = new MathExpression({
      label: 'Throttled reads + writes',
      expression: 'reads + writes',
      usingMetrics: {
        reads: throttleEvents('ReadThrottleEvents'),
        writes: throttleEvents('WriteThrottleEvents'),
      },
      period: minutes(5),
    });
    this.alarm('TableThrottlesAlarm', 'DynamoDB throttled reads or writes on the table', throttles, 0);
    const consumed = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName },
        period: minutes(5),
        statistic: 'Sum',
      });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Table: consumed capacity',
        left: [consumed('ConsumedReadCapacityUnits'), consumed('ConsumedWriteCapacityUnits')],
        width: 12,
      }),
      new GraphWidget({ title: 'Table: throttles', left: [throttles], width: 12 }),
    );
  }
}
