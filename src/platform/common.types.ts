import { Field, ObjectType } from 'type-graphql';
import { graphqlEnum } from './enums';
import { DecimalScalar } from './scalars';

const ORDER_DIRECTIONS = ['ASC', 'DESC'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];
export const OrderDirection = graphqlEnum(ORDER_DIRECTIONS, {
  name: 'OrderDirection',
  description: 'Which way a list is sorted.',
  values: {
    ASC: 'Smallest (or earliest) first.',
    DESC: 'Largest (or latest) first.',
  },
});

/** Root value of Money: the amount in integer minor units (DecimalScalar writes "12.50") and the ISO currency. */
export interface MoneyValue {
  amount: number;
  currency: string;
}

@ObjectType({ description: 'An amount of money in a currency.' })
export class Money {
  /** Integer minor units: the scalar writes them as a decimal string. */
  @Field(() => DecimalScalar, { description: 'The amount, e.g. "12.50".' })
  amount!: number;

  @Field({ description: 'ISO 4217 code, e.g. USD' })
  currency!: string;
}

/**
 * An amount as the API hands it out. Both fields are plain properties: the compiled execution
 * reads them inline, with no resolver per amount.
 */
export const money = (minor: number, currency: string): MoneyValue => ({ amount: minor, currency });

@ObjectType({ description: 'A name and a value, e.g. an HTTP header or a form field.' })
export class KeyValue {
  @Field({ description: 'The name, sent exactly as given.' })
  name!: string;
  @Field({ description: 'The value, sent exactly as given.' })
  value!: string;
}
